"""Run every benchmark at its default scale, one after another, and write bench/README.md's
results section from their JSON files (the latest table, the date and the machine).

    make bench            # or: .venv/bin/python bench/run_all.py [--only queue_scale,steps]

About ten minutes on two cores. Needs PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/zhiyuan_bench; the database is dropped and recreated)
and pgbench. Each benchmark is a separate program: run one alone to look closer.
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

BENCHMARKS = ["queue_scale", "http_throughput", "sweeps", "steps"]
OPTIONAL = ["imports", "dashboard_scale"]  # run when present
README = common.ROOT / "bench" / "README.md"
MARK = "<!-- results: written by bench/run_all.py -->"


def write_readme(names, seconds):
    results = {}
    for name in names:
        path = common.RESULTS / f"{name}.json"
        if path.exists():
            data = json.loads(path.read_text())
            if isinstance(data, dict) and "date" in data and "machine" in data:  # a harness result
                results[name] = data
    if not results:
        return
    any_result = next(iter(results.values()))
    m = any_result["machine"]
    lines = [MARK, "", f"## 最近一次结果（{any_result['date']}，提交 {m['commit']}）", "",
             f"机器：{m['nproc']} 核，内存 {m['memory_gb']} GB，PostgreSQL {m['postgresql']}，"
             f"Python {m['python']}；本次运行用时 {seconds / 60:.1f} 分钟。", ""]
    for name, data in results.items():
        text = (common.RESULTS / f"{name}.txt").read_text() if (common.RESULTS / f"{name}.txt").exists() else ""
        lines += [f"### {name}（{data['date']}）", "", "```", text.rstrip(), "```", ""]
    head = README.read_text().split(MARK)[0] if README.exists() else "# Benchmarks\n\n"
    README.write_text(head + "\n".join(lines))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else BENCHMARKS + [
        n for n in OPTIONAL if (common.ROOT / "bench" / f"{n}.py").exists()]
    t0 = time.monotonic()
    failed = []
    for name in names:
        print(f"\n===== {name} =====", flush=True)
        if subprocess.run([sys.executable, str(common.ROOT / "bench" / f"{name}.py")], cwd=common.ROOT).returncode:
            failed.append(name)
    # the README shows every result on disk, so running one benchmark keeps the others' tables
    write_readme(BENCHMARKS + OPTIONAL + ["profile_requests"], time.monotonic() - t0)
    print(f"\n全部用时 {(time.monotonic() - t0) / 60:.1f} 分钟；结果见 bench/README.md 与 bench/results/。")
    if failed:
        sys.exit(f"失败：{', '.join(failed)}")


if __name__ == "__main__":
    main()
