"""Requests per second under gunicorn (2 workers, production-like settings) for the public
certificate verification (API and page) and the department task list, each against a
constant Django view served by the same server in the same run.

    .venv/bin/python bench/http_throughput.py [--seconds 8] [--rounds 3] [--clients 4]

Starts gunicorn with config/gunicorn.py on a free loopback port, settings ``bench.settings``
(database zhiyuan_bench: demo data, a signed certificate, 10,000 routed tasks). The load
generator is a fixed number of threads, each sending one request at a time with http.client
to 127.0.0.1 only, for a fixed time; every non-200 answer or failed connection is an error.
Rounds interleave the endpoints and the median round is reported. The generator shares the
two cores with the server, the same for every endpoint, so compare ratios, not absolutes.
Targets (issue #13): verification >= 0.6x and task list >= 0.5x the constant view, no errors.
"""
import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.queue_scale import bench_world, fill  # noqa: E402

common.setup_django()  # before the modules below import any model

from django.db import connection
from rest_framework.authtoken.models import Token

from processes.certification.models import Certificate

HOST = "127.0.0.1"
TARGETS = {"verify_api": 0.6, "verify_page": 0.6, "task_list": 0.5}


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port, workers):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "GUNICORN_WORKERS": str(workers),
           "GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_ACCESS_LOG": "/dev/null", "GUNICORN_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
        cwd=common.ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "/bench/constant/", {})
            if status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    sys.exit("gunicorn 未能在 60 秒内启动。")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def request(port, path, headers):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response
    finally:
        conn.close()


def load(port, path, headers, seconds, clients):
    """``clients`` threads, one request in flight each, for ``seconds``: (requests/s, errors)."""
    done, errors, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    stop_at = time.monotonic() + seconds

    def client(i):
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                status, _ = request(port, path, headers)
                if status != 200:
                    errors[i] += 1
            except OSError:
                errors[i] += 1
            latencies[i].append(time.perf_counter() - t0)
            done[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    all_latencies = [x for lat in latencies for x in lat]
    return {"rps": sum(done) / elapsed, "requests": sum(done), "errors": sum(errors),
            "p95_ms": common.percentile(all_latencies, 95) * 1000 if all_latencies else None}


def prepare():
    """Demo data (its verifying certificate) and a department queue of 10,000 routed tasks."""
    common.fresh_database(demo=True)

    staff, ctx, first_id, _ = bench_world()
    fill(first_id, first_id + 10_000 - 1, ctx)
    cert = Certificate.objects.filter(status="valid").order_by("pk").first()
    token = Token.objects.create(user=staff)

    connection.close()
    verify = f"number={cert.number}&code={cert.verification_code}"
    return {
        "constant": ("/bench/constant/", {}),
        "verify_api": (f"/api/v1/certification/verify/?{verify}", {}),
        "verify_page": (f"/certification/verify/?{verify}", {}),
        "task_list": ("/api/v1/tasks/?view=queue", {"Authorization": f"Token {token.key}"}),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    endpoints = prepare()
    port = free_port()
    server = start_server(port, args.workers)
    runs = {name: [] for name in endpoints}
    try:
        for name, (path, headers) in endpoints.items():  # warm up every worker and connection
            status, _ = request(port, path, headers)
            assert status == 200, (name, status)
            load(port, path, headers, 1, args.clients)
        for _ in range(args.rounds):
            for name, (path, headers) in endpoints.items():
                runs[name].append(load(port, path, headers, args.seconds, args.clients))
    finally:
        stop_server(server)

    results = {}
    for name, rounds in runs.items():
        median = statistics.median(r["rps"] for r in rounds)
        results[name] = {"rps_median": median, "rounds": rounds, "errors": sum(r["errors"] for r in rounds),
                         "p95_ms": statistics.median(r["p95_ms"] for r in rounds)}
    floor = results["constant"]["rps_median"]
    rows = []
    for name, r in results.items():
        r["ratio_to_constant"] = r["rps_median"] / floor
        target = TARGETS.get(name)
        r["target"] = target
        met = "—" if target is None else ("是" if r["ratio_to_constant"] >= target and r["errors"] == 0 else "否")
        rows.append([name, r["rps_median"], r["ratio_to_constant"], target or "—", r["p95_ms"], r["errors"], met])
    text = common.table(
        f"gunicorn {args.workers} 个进程，{args.clients} 个并发客户端，每轮 {args.seconds:g} 秒，{args.rounds} 轮取中位数",
        ["endpoint", "req/s", "x constant", "target", "p95 ms", "errors", "met"], rows)
    common.write_result("http_throughput", {"settings": vars(args), "results": results}, text)


if __name__ == "__main__":
    main()
