"""What every benchmark shares: Django set up on the scratch database, a fresh database,
timing helpers, the printed table and the JSON file under bench/results/."""
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import django
import psycopg
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zhiyuan_bench")
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["BENCH_DATABASE_URL"] = BENCH_DB


def _admin_url():
    return BENCH_DB.rsplit("/", 1)[0] + "/postgres"


def db_name():
    return BENCH_DB.rsplit("/", 1)[1]


def recreate_database(name=None):
    """Drop and create a scratch database (the bench's own, or pgbench's)."""
    name = name or db_name()
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django():
    """Set Django up; each program calls it before importing models. It does not connect, so the
    scratch database may still be dropped and created afterwards."""
    django.setup()


def fresh_database(demo=False):
    """An empty, migrated scratch database with the reference data (and the demo, if asked)."""
    recreate_database()
    setup_django()

    connection.close()
    call_command("migrate", verbosity=0)
    call_command("setup_demo", *([] if demo else ["--no-demo"]), verbosity=0)


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(fn, repeat):
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return {"median_ms": statistics.median(samples) * 1000, "p95_ms": percentile(samples, 95) * 1000}


def machine():
    with psycopg.connect(_admin_url()) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    mem_kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "postgresql": pg,
            "python": platform.python_version(), "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()}


def table(title, header, rows):
    """Print rows (lists) under a header, columns sized to fit; returns the text."""
    cells = [header] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]
    lines = [title, "  ".join(str(h).ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in cells[1:]]
    text = "\n".join(lines)
    print("\n" + text, flush=True)
    return text


def _fmt(value):
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def write_result(name, data, text):
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {"benchmark": name, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": machine(), **data}
    (RESULTS / f"{name}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    (RESULTS / f"{name}.txt").write_text(text + "\n")
    print(f"→ bench/results/{name}.json", flush=True)
