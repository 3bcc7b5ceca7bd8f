"""Multi-server soak (issue #16): two web servers, two Celery workers and one beat on one
PostgreSQL database, mixed locust traffic, then every counter must reconcile.

    /work/main/.venv/bin/python bench/soak/run.py [--minutes 10] [--users 20]

Loopback only. Drops and recreates the scratch database ``zhiyuan_soak``, migrates, loads
reference and demo data (``setup_demo``, DEMO_MODE=1) and the soak's extra cases
(``seed.py``); starts ``gunicorn`` on two ports (2 workers each, production settings, DEBUG
off), two ``celery worker`` and one ``celery beat`` on Redis database 14; runs locust headless
(``locustfile.py``) for ``--minutes`` with ``--users``; lets the workers drain; stops every
process it started (also on Ctrl-C or failure); reconciles (``reconcile.py``), seals and
verifies the audit trail, runs ``check_cases``; prints a table and writes
``bench/results/soak.json``. Exit status 0 only when there were no errors, no unexpected 4xx, and every
check held. Not a test: the figures depend on the machine.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DB_NAME = "zhiyuan_soak"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/14"
SETUP_TIMEOUT = 900  # seconds for migrate + demo + seed on a busy machine


def soak_env(work: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "soak-only-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "false",
        "DEMO_MODE": "1",
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_URL": REDIS_URL,
        "AUDIT_CHECKPOINT_DIR": str(work / "audit"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.setdefault("DEMO_PASSWORD", "zhiyuan-demo-2026")
    return env


def fresh_database():
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    redis.Redis.from_url(REDIS_URL).flushdb()


def run_step(label, args, env, timeout=SETUP_TIMEOUT, check=True):
    started = time.monotonic()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    print(f"  {label}: rc={done.returncode} ({time.monotonic() - started:.0f} s)", flush=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{label} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done


class Processes:
    """Everything the soak starts, each in its own process group so it can be stopped whole."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started = []

    def start(self, name, args, env):
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 — closed in stop(), outlives this call
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.started.append((name, proc, log))
        print(f"  started {name} (pid {proc.pid})", flush=True)
        return proc

    def alive(self):
        return {name: proc.poll() is None for name, proc, _ in self.started}

    def stop(self, grace=30):
        for name, proc, _ in self.started:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name, proc, log in self.started:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            log.close()
        stopped = {name: proc.returncode for name, proc, _ in self.started}
        self.started = []
        return stopped


def wait_http(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(f"http://127.0.0.1:{port}/accounts/login/",
                                         headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(req, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise RuntimeError(f"web server on port {port} did not answer within {timeout} s")


def wait_queue_drained(timeout=90):
    """Let the workers finish what the traffic queued (on_commit notifications and the like)."""
    r = redis.Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if r.llen("celery") == 0:
            return True
        time.sleep(2)
    return False


LOG_NEEDLES = {"tracebacks": "Traceback", "http_500": '" 500 ', "critical": "CRITICAL",
               "tasks_succeeded": "succeeded in", "beat_sent": "Sending due task"}


def count_in_logs(logs: Path) -> dict:
    """Per log: tracebacks and 500s (there should be none), tasks the workers finished and
    periodic tasks the beat sent (proof they worked during the soak)."""
    found = {}
    for path in sorted(logs.glob("*.log")):
        text = path.read_text(errors="replace")
        found[path.stem] = {label: text.count(needle) for label, needle in LOG_NEEDLES.items()}
    return found


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(tally: dict, seconds: float) -> dict:
    groups, totals = {}, {"requests": 0, "ok": 0, "expected": 0, "throttled": 0, "unexpected": 0, "error": 0}
    all_ms, races = [], {}
    for group, entry in sorted(tally.get("groups", {}).items()):
        kinds = entry["kinds"]
        n = sum(kinds.values())
        if group.startswith("race:"):  # outcomes of request pairs, not requests: kept apart
            races[group] = {"pairs": n, "one_winner": kinds.get("ok", 0), "two_winners": kinds.get("error", 0),
                            "answers": entry["statuses"]}
            totals["error"] += kinds.get("error", 0)
            continue
        groups[group] = {
            "requests": n, "rps": round(n / seconds, 2) if seconds else None,
            "p50_ms": percentile(entry["ms"], 0.50), "p95_ms": percentile(entry["ms"], 0.95),
            **{k: kinds.get(k, 0) for k in ("ok", "expected", "throttled", "unexpected", "error")},
            "statuses": entry["statuses"],
        }
        all_ms += entry["ms"]
        totals["requests"] += n
        for k in ("ok", "expected", "throttled", "unexpected", "error"):
            totals[k] += kinds.get(k, 0)
    totals.update({"rps": round(totals["requests"] / seconds, 2) if seconds else None,
                   "p50_ms": percentile(all_ms, 0.5), "p95_ms": percentile(all_ms, 0.95)})
    return {"groups": groups, "totals": totals, "races": races}


def print_table(summary, checks):
    head = f"{'group':28} {'req':>6} {'rps':>6} {'p50ms':>7} {'p95ms':>7} {'ok':>6} {'exp':>5} {'429':>5} {'4xx?':>5} {'err':>4}"
    print("\n" + head + "\n" + "-" * len(head))
    for name, g in list(summary["groups"].items()) + [("TOTAL", summary["totals"])]:
        print(f"{name:28} {g['requests']:>6} {g['rps']:>6} {g['p50_ms'] or 0:>7.0f} {g['p95_ms'] or 0:>7.0f} "
              f"{g['ok']:>6} {g['expected']:>5} {g['throttled']:>5} {g['unexpected']:>5} {g['error']:>4}")
    for name, race in summary.get("races", {}).items():
        print(f"{name:28} pairs={race['pairs']} one winner={race['one_winner']} two winners={race['two_winners']} "
              f"answers={race['answers']}")
    print("\nreconciliation:")
    for name, check in checks.items():
        print(f"  {name:16} {'OK' if check.get('ok') else 'FAILED'}  {check.get('summary', '')}")


def _interrupted(signum, frame):
    """SIGTERM ends the soak like Ctrl-C: the ``finally`` below stops every process started."""
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description="Multi-server soak: two web servers, two workers, one beat.")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--ports", default="8101,8102")
    parser.add_argument("--certificates", type=int, default=200, help="certificate requests seeded")
    parser.add_argument("--tenders", type=int, default=30)
    parser.add_argument("--applications", type=int, default=20)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "soak.json"))
    args = parser.parse_args()
    ports = [int(p) for p in args.ports.split(",")]

    work = ROOT / "var" / "soak"
    shutil.rmtree(work, ignore_errors=True)
    logs = work / "logs"
    logs.mkdir(parents=True)
    env = soak_env(work)
    py = str(BIN / "python")
    procs = Processes(logs)
    signal.signal(signal.SIGTERM, _interrupted)
    result = {"started_at": datetime.now(UTC).isoformat(timespec="seconds"),
              "minutes": args.minutes, "users": args.users, "ports": ports}
    checks, summary, traffic_seconds = {}, {"groups": {}, "totals": {}, "races": {}}, 0.0
    try:
        print("setup:", flush=True)
        fresh_database()
        run_step("migrate", [py, "manage.py", "migrate", "--noinput", "-v0"], env)
        run_step("setup_demo", [py, "manage.py", "setup_demo"], env)
        seed_out = work / "seed.json"
        seeded = run_step("seed", [py, str(HERE / "seed.py"), "--certificates", str(args.certificates),
                                   "--tenders", str(args.tenders), "--applications", str(args.applications),
                                   "--out", str(seed_out)], env)
        result["seed"] = seeded.stdout.strip().splitlines()[-1]

        print("start:", flush=True)
        for port in ports:
            procs.start(f"web-{port}", [str(BIN / "gunicorn"), "config.wsgi:application", "--bind",
                                        f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
                                        "--access-logfile", "-", "--error-logfile", "-"], env)
        for n in (1, 2):
            procs.start(f"worker-{n}", [str(BIN / "celery"), "-A", "config", "worker", "-n", f"soak{n}@%h",
                                        "--concurrency", "1", "--loglevel", "INFO"], env)
        procs.start("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                             "--schedule", str(work / "beat-schedule")], env)
        for port in ports:
            wait_http(port)

        print(f"traffic: {args.users} users for {args.minutes} min", flush=True)
        tally_path = work / "tally.json"
        locust_env = {**env, "SOAK_PORTS": ",".join(map(str, ports)), "SOAK_SEED": str(seed_out),
                      "SOAK_OUT": str(tally_path)}
        run_seconds = int(args.minutes * 60)
        started = time.monotonic()
        run_step("locust", [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
                            "-u", str(args.users), "-r", str(max(1, args.users // 10)), "--run-time",
                            f"{run_seconds}s", "--stop-timeout", "10", "--exit-code-on-error", "0",
                            "--host", f"http://127.0.0.1:{ports[0]}"],
                 locust_env, timeout=run_seconds + 180)
        traffic_seconds = time.monotonic() - started
        summary = summarise(json.loads(tally_path.read_text()), traffic_seconds)
        result["error_samples"] = json.loads(tally_path.read_text())["samples"]
        result["drained"] = wait_queue_drained()
        result["alive_before_stop"] = procs.alive()
    finally:
        result["stopped"] = procs.stop()
    result["log_counts"] = count_in_logs(logs)

    print("checks:", flush=True)
    reconciled = run_step("reconcile", [py, str(HERE / "reconcile.py")], env, timeout=600, check=False)
    try:
        reconciliation = json.loads(reconciled.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        reconciliation = {"error": reconciled.stderr[-2000:]}
    for name, part in reconciliation.items():
        if isinstance(part, dict):
            brief = {k: v for k, v in part.items() if not isinstance(v, list) or v}
            checks[name] = {"ok": part.get("ok", False), "summary": json.dumps(
                {k: v for k, v in brief.items() if k != "ok"}, ensure_ascii=False)[:200], "detail": part}
        else:
            checks[name] = {"ok": False, "summary": str(part)[:200]}
    for name, command in (("audit_seal", ["audit_seal"]), ("audit_verify", ["audit_verify"]),
                          ("check_cases", ["check_cases"])):
        done = run_step(name, [py, "manage.py", *command], env, timeout=600, check=False)
        checks[name] = {"ok": done.returncode == 0, "summary": (done.stdout + done.stderr).strip()[-200:]}
    tracebacks = sum(c["tracebacks"] + c["http_500"] for c in result["log_counts"].values())
    checks["logs"] = {"ok": tracebacks == 0, "summary": f"{tracebacks} tracebacks or 500s in the logs; "
                      f"{sum(c['tasks_succeeded'] for c in result['log_counts'].values())} Celery tasks done, "
                      f"{result['log_counts'].get('beat', {}).get('beat_sent', 0)} sent by the beat"}
    checks["processes"] = {"ok": all(result.get("alive_before_stop", {}).values()),
                           "summary": f"alive until stopped: {result.get('alive_before_stop')}"}

    result.update({"traffic_seconds": round(traffic_seconds, 1), **summary, "checks": checks})
    print_table(summary, checks)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    print(f"\nwritten: {args.out}")
    totals = summary["totals"]
    failed = totals.get("error", 1) or totals.get("unexpected", 1) or not all(c["ok"] for c in checks.values())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
