"""Queue pages at 10 thousand and at 1 million routed tasks, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiyuan .venv/bin/python bench/queue_scale.py [--max 1000000]

Builds a throw-away test database, fills viewflow tasks and their routes with
``generate_series`` (5% open, spread over every department and role; finished ones spread
over 200 people), and times the
department queue, inbox and archive pages (selector + serializer, page size 20) at each
size. Prints the timings, the ratio large/small (flat means the indexes carry the load),
the queries per page, and PostgreSQL's plan for the queue query. Not a test: figures drift
between machines; compare the ratios of one run.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

FILL_SQL = """
WITH d AS (SELECT array_agg(id ORDER BY id) AS ids FROM directory_department)
INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, token, process_id, data,
                           owner_id, assigned, started, finished, scheduled, external_task_id,
                           owner_permission, owner_permission_content_type_id, owner_permission_obj_pk,
                           seed_content_type_id, seed_object_id, artifact_content_type_id, artifact_object_id)
SELECT g, %(ref)s, 'HUMAN', CASE WHEN g %% 20 = 0 THEN 'NEW' ELSE 'DONE' END, now(), 'start', %(process)s,
       '{}'::jsonb, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM generate_series(%(start)s, %(stop)s) AS g;
WITH d AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM directory_department)
INSERT INTO cases_taskroute (task_id, process_name, node, step_title, case_type_id, case_id, reference,
                             case_title, department_id, role, state, owner_id, delegate_id, personal, priority,
                             created_at, due_at, due_provisional, sla_working_days, overdue_at,
                             escalate_after, escalated_at, escalation_level, escalated_from_id,
                             completed_at, completed_by_id, decision)
SELECT g, 'example', 'prepare', '准备材料', %(ct)s, g, 'EX-2026-' || lpad(g::text, 7, '0'), '压测事项',
       d.ids[1 + (g %% d.n)], (ARRAY['staff','reviewer','head'])[1 + (g / 7) %% 3],
       CASE WHEN g %% 20 = 0 THEN 'open' ELSE 'done' END, NULL, NULL, false, 0,
       now() - interval '30 days', now() + ((g %% 30) - 10) * interval '1 day', false, 5,
       NULL, NULL, NULL, 0, NULL,
       CASE WHEN g %% 20 = 0 THEN NULL ELSE now() - (g %% 1000) * interval '1 minute' END,
       CASE WHEN g %% 20 = 0 THEN NULL ELSE (%(workers)s::bigint[])[1 + g %% %(n_workers)s] END, ''
FROM generate_series(%(start)s, %(stop)s) AS g, d;
"""


def fill(start, stop, ctx):
    with connection.cursor() as cursor:
        cursor.execute(FILL_SQL, {**ctx, "start": start, "stop": stop})
        cursor.execute("ANALYZE viewflow_task; ANALYZE cases_taskroute;")


def time_page(client, url, repeat=15):
    samples, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t0)
        assert response.status_code == 200, response.content[:300]
        queries = len(captured)
    return statistics.median(samples) * 1000, queries


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--max", type=int, default=1_000_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("需要 PostgreSQL：请设置 DATABASE_URL。")

    from django.core.management import call_command
    from rest_framework.test import APIClient

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("setup_demo", "--no-demo", verbosity=0)
        from django.contrib.contenttypes.models import ContentType
        from viewflow.workflow.models import Process

        from engine.cases.selectors import task_queue
        from engine.directory.models import Department, Membership
        from tests.example.flows import ExampleFlow
        from tests.example.models import ExampleCase
        from tests.factories import UserFactory

        process = Process.objects.create(flow_class=ExampleFlow)
        staff = UserFactory(username="bench_staff")
        # finished work is spread over 200 people, as in a city's departments
        workers = [staff.pk] + [UserFactory(username=f"bench_worker{i}").pk for i in range(199)]
        dept = Department.objects.order_by("id").first()
        for role in ("staff", "reviewer", "head"):
            Membership.objects.create(user=staff, department=dept, role=role)
        ctx = {
            "ref": "example/flows.ExampleFlow.prepare", "process": process.pk,
            "ct": ContentType.objects.get_for_model(ExampleCase).pk, "workers": workers,
            "n_workers": len(workers),
        }
        client = APIClient()
        client.force_authenticate(staff)
        urls = {v: f"/api/v1/tasks/?view={v}" for v in ("queue", "inbox", "archive")}
        results = {}
        filled = 0
        for size in (args.small, args.max):
            t0 = time.perf_counter()
            fill(filled + 1, size, ctx)
            filled = size
            in_queue = task_queue(staff).count()
            print(f"填充至 {size:,} 条待办用时 {time.perf_counter() - t0:.1f} 秒；"
                  f"该用户的部门队列中有 {in_queue:,} 条待认领", flush=True)
            results[size] = {name: time_page(client, url) for name, url in urls.items()}
        print(f"\n{'页面':<10}{args.small:>12,}{args.max:>14,}{'倍数':>8}{'查询数':>10}")
        for name in urls:
            (small_ms, small_q), (big_ms, big_q) = results[args.small][name], results[args.max][name]
            print(f"{name:<10}{small_ms:>10.1f}ms{big_ms:>12.1f}ms{big_ms / small_ms:>8.2f}{small_q:>6}/{big_q}")
        with connection.cursor() as cursor:
            sql, params = task_queue(staff).query.sql_with_params()
            cursor.execute("EXPLAIN ANALYZE " + sql + " LIMIT 20", params)
            print("\n部门队列查询计划：")
            for (line,) in cursor.fetchall():
                print("  " + line)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
