"""Time per run of the periodic sweeps when 100,000 routed tasks are past due: the SLA sweep
(engine/cases/sla.py: flag a batch overdue, notify heads, then escalate a batch to the parent
department, D2) and procurement's chronograph (processes/procurement/services/chronograph.py).

    .venv/bin/python bench/sweeps.py [--due 100000] [--baseline 1000] [--runs 3]

Each sweep is timed at a small backlog first (the baseline) and again at the full backlog in
the same run: a sweep works in bounded batches, so its time per run should not grow with the
backlog. Runs act on different rows (each run takes the next batch). The chronograph is timed
over the demo's tenders with the 100,000 due tasks present; it reads tenders, not tasks.
"""
import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402
from bench.queue_scale import bench_world, fill  # noqa: E402

common.setup_django()  # before the modules below import any model

from django.db import connection
from django.utils import timezone

from engine.cases import sla
from processes.procurement.services.chronograph import chronograph_run

MAKE_DUE_SQL = """
UPDATE viewflow_task SET status = 'NEW', owner_id = NULL WHERE id BETWEEN %(start)s AND %(stop)s;
UPDATE cases_taskroute SET state = 'open', owner_id = NULL, completed_at = NULL, completed_by_id = NULL,
       due_at = now() - interval '20 days', overdue_at = NULL, escalate_after = NULL, escalated_at = NULL
 WHERE task_id BETWEEN %(start)s AND %(stop)s;
ANALYZE cases_taskroute;
"""


def make_due(start, stop, ctx):
    fill(start, stop, ctx)
    with connection.cursor() as cursor:
        cursor.execute(MAKE_DUE_SQL, {"start": start, "stop": stop})


def time_runs(fn, runs):
    samples, moved = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        moved.append(fn())
        samples.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(samples), "samples_s": samples, "moved": moved}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--due", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    common.fresh_database(demo=True)

    _, ctx, first_id, _ = bench_world()
    results, filled = {}, first_id - 1
    for label, size in (("baseline", args.baseline), ("due", args.due)):
        make_due(filled + 1, first_id + size - 1, ctx)
        filled = first_id + size - 1
        now = timezone.now()
        results[label] = {
            "due_tasks": size,
            "flag_overdue": time_runs(lambda: sla.flag_overdue(now), args.runs),
            # escalation is due three working days after the due time: the flagged rows are ripe
            "escalate": time_runs(lambda: sla.escalate(now + timedelta(days=1)), args.runs),
            "chronograph": time_runs(lambda: sum(chronograph_run().values()), args.runs),
        }
    rows = []
    for name in ("flag_overdue", "escalate", "chronograph"):
        base, full = results["baseline"][name], results["due"][name]
        per_task = (f"{full['median_s'] / max(1, statistics.median(full['moved'])) * 1000:.2f}"
                    if name != "chronograph" else "—")
        rows.append([name, base["median_s"], full["median_s"], full["median_s"] / base["median_s"],
                     statistics.median(full["moved"]), per_task])
    text = common.table(
        f"每次运行用时（秒，{args.runs} 次取中位数）：{args.baseline:,} 条到期为基线，{args.due:,} 条到期",
        ["sweep", f"{args.baseline:,} due s", f"{args.due:,} due s", "ratio", "moved/run", "ms/task"], rows)
    common.write_result("sweeps", {"settings": vars(args), "batch": sla.BATCH, "results": results}, text)


if __name__ == "__main__":
    main()
