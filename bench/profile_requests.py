"""Where a request's time goes: CPU milliseconds per request, in process (no HTTP, no load
generator), for the constant view, certificate verification (API and page) and the task list,
then a pyinstrument profile of each measured endpoint. Run it when http_throughput.py misses a
target: the ratio of CPU per request here is the ceiling of the ratio of requests/s there.

    .venv/bin/python bench/profile_requests.py [--requests 300]
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.http_throughput import prepare  # noqa: E402

common.setup_django()  # before the modules below import any model

from django.test import Client
from pyinstrument import Profiler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    endpoints = prepare()

    client = Client()
    cpu, profiles, rows = {}, {}, []
    for name, (path, headers) in endpoints.items():
        meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        for _ in range(10):
            assert client.get(path, **meta).status_code == 200, name
        t0 = time.process_time()
        for _ in range(args.requests):
            client.get(path, **meta)
        cpu[name] = (time.process_time() - t0) * 1000 / args.requests
        profiler = Profiler(interval=0.0002)
        profiler.start()
        for _ in range(min(100, args.requests)):
            client.get(path, **meta)
        profiler.stop()
        profiles[name] = profiler.output_text(unicode=False, color=False)
    for name, ms in cpu.items():
        rows.append([name, ms, ms / cpu["constant"]])
    text = common.table(f"进程内每个请求的 CPU 毫秒（{args.requests} 次平均）",
                        ["endpoint", "CPU ms/request", "x constant"], rows)
    for name, profile in profiles.items():
        if name != "constant":
            text += f"\n\n--- {name} ---\n" + profile
    common.write_result("profile_requests", {"cpu_ms_per_request": cpu}, text)


if __name__ == "__main__":
    main()
