"""The dashboard at 10 thousand and 1 million routed tasks and service records (PostgreSQL,
database zhiyuan_bench), issue #14.

    .venv/bin/python bench/dashboard_scale.py [--sizes 10000,1000000] [--repeat 20]

Fills tasks and their routes as ``queue_scale`` does (5% open, 5% claimed, every department
and role), and as many approved service records of volunteers registered over the year in
every district (one volunteer per ten records, one activity per thousand), each with one
``generate_series`` statement per table. Then times, in process, the staff dashboard page of a
city leader and of a department head, the public page and the XLSX export, and the periodic
refresh of the snapshots (the figures that need every row: percentiles, star levels) — the
pages read aggregates on indexes and the snapshots, so they should stay flat while the refresh
grows with the rows. The baseline is the same page at the smallest size."""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.setup_django()  # before the modules below import any model

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.queue_scale import bench_world, fill  # noqa: E402
from engine.dashboard import snapshots  # noqa: E402
from engine.directory.models import Department, Membership  # noqa: E402
from tests.factories import OrganizationFactory, UserFactory  # noqa: E402

RECORDS_SQL = """
WITH d AS (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM directory_district)
INSERT INTO certification_volunteer (id, user_id, volunteer_number, real_name, id_number, phone, consent_at,
                                     consent_note, registered_by_id, district_id, created_at)
SELECT g, NULL, 'B' || g::text, '压测', lpad(g::text, 18, '0'), '',
       date_trunc('year', now()) + (g %% 330) * interval '1 day', '', NULL, d.ids[1 + (g %% d.n)], now()
FROM generate_series(%(vstart)s, %(vstop)s) AS g, d;
INSERT INTO certification_activity (id, organization_id, name, category, place, content, start_at, end_at,
                                    person_in_charge, created_by_id, created_at)
SELECT g, %(org)s, '压测活动', 'service', '郑州', '', date_trunc('year', now()) + (g %% 330) * interval '1 day',
       date_trunc('year', now()) + (g %% 330) * interval '1 day' + interval '4 hours', '负责人', NULL, now()
FROM generate_series(%(astart)s, %(astop)s) AS g;
INSERT INTO certification_servicerecord (id, volunteer_id, activity_id, hours, content, source, status, late,
                                         entered_by_id, entered_at, reviewed_by_id, reviewed_at, review_reason,
                                         version, previous_id, is_current, correction_reason, is_deleted,
                                         deleted_at, deleted_reason)
SELECT 1000000000 + g, %(vstart)s + (g - %(start)s) / 10, %(astart)s + (g - %(start)s) / 1000, 2 + (g %% 5), '', 'signin',
       'approved', false, NULL, now(), NULL, now(), '', 1, NULL, true, '', false, NULL, ''
FROM generate_series(%(start)s, %(stop)s) AS g;
"""


def fill_records(start, stop, vstart, astart, org_id) -> tuple[int, int]:
    """Records ``start``..``stop`` with their volunteers (one per ten, from id ``vstart``) and
    activities (one per thousand, from ``astart``); returns the next free volunteer and activity ids."""
    vstop, astop = vstart + (stop - start) // 10, astart + (stop - start) // 1000
    ctx = {"start": start, "stop": stop, "org": org_id, "vstart": vstart, "vstop": vstop, "astart": astart,
           "astop": astop}
    with connection.cursor() as cursor:
        cursor.execute(RECORDS_SQL, ctx)
        for table in ("certification_volunteer", "certification_activity", "certification_servicerecord"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return vstop + 1, astop + 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    common.fresh_database()
    staff, ctx, first_id, _searched = bench_world()
    leader = UserFactory(username="bench_leader")
    Membership.objects.create(user=leader, role="leader")
    head = UserFactory(username="bench_head")
    Membership.objects.create(user=head, department=Department.objects.get(code="mca"), role="head")
    org = OrganizationFactory()
    clients = {}
    for name, user in (("leader", leader), ("head", head)):
        clients[name] = Client()
        clients[name].force_login(user)
    anonymous = Client()
    pages = {"leader": (clients["leader"], "/workbench/dashboard/"),
             "head": (clients["head"], "/workbench/dashboard/"),
             "public": (anonymous, "/dashboard/"),
             "export": (clients["leader"], "/workbench/dashboard/export.xlsx")}

    def page(client, url):
        for _ in range(2):
            client.get(url)

        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return get

    results, filled_tasks, filled_records, rows = {}, first_id - 1, 0, []
    next_volunteer = next_activity = 1_000_000_000  # far above the ids the ORM hands out
    for size in sizes:
        t0 = time.perf_counter()
        fill(filled_tasks + 1, first_id + size - 1, ctx)
        filled_tasks = first_id + size - 1
        next_volunteer, next_activity = fill_records(filled_records + 1, size, next_volunteer, next_activity, org.pk)
        filled_records = size
        fill_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        snapshots.refresh()
        refresh_s = time.perf_counter() - t0
        print(f"填充至 {size:,} 条待办与服务记录用时 {fill_s:.1f} 秒；快照刷新 {refresh_s:.1f} 秒", flush=True)
        entry = {"fill_seconds": fill_s, "refresh_seconds": refresh_s}
        for name, (client, url) in pages.items():
            entry[name] = common.timed(page(client, url), args.repeat)
        results[size] = entry

    small, large = results[sizes[0]], results[sizes[-1]]
    for name in pages:
        rows.append([name] + [f"{results[s][name]['p95_ms']:.1f} ({results[s][name]['median_ms']:.1f})" for s in sizes]
                    + [large[name]["p95_ms"] / small[name]["p95_ms"]])
    rows.append(["snapshot refresh (s)"] + [f"{results[s]['refresh_seconds']:.1f}" for s in sizes]
                + [large["refresh_seconds"] / max(small["refresh_seconds"], 1e-6)])
    text = common.table(f"看板页面 p95（中位数），毫秒，{args.repeat} 次取样；快照刷新为秒",
                        ["page"] + [f"{s:,}" for s in sizes] + ["large/small"], rows)
    common.write_result("dashboard_scale", {"sizes": sizes, "results": results}, text)


if __name__ == "__main__":
    main()
