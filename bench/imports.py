"""Volunteer import throughput and memory against bulk_create of the same rows (issue #13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiyuan_imports \\
        /work/main/.venv/bin/python bench/imports.py [--rows 10000,100000]

Builds a throw-away test database with the reference data (departments, districts),
one organization with a manager, and for each size a CSV of valid volunteers on disk. Then, per
size: (1) bulk_create of the same rows (Volunteer objects built from the same file, 500 per
batch, in one transaction) and (2) the real import (``run_import`` as the manager: streaming
reader, widgets, validation, consent and rights checks, numbering, summary audit event), each
timed, and each run again under tracemalloc for its peak Python memory (rolled back). Prints
a table and the ratios the issue sets (import rows/s >= 0.3 x bulk_create rows/s; peak memory at
the largest size within 1.2 x the smallest), writes bench/results/imports.json, and drops the
database. Not a test: figures drift between machines; compare the ratios of one run.
"""
import argparse
import csv
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from engine.cases.models import ReferenceSequence, format_reference
from engine.directory.models import District
from engine.directory.validators import id_check_char
from engine.imports.services import run_import
from processes.certification.models import Volunteer
from tests.factories import OrganizationFactory, org_user

HEADER = ["姓名", "身份证号", "手机号", "录入组织", "本人同意录入", "常住区县代码"]
RESULTS = Path(__file__).resolve().parent / "results" / "imports.json"


def id_number(n: int) -> str:
    """A valid, distinct ID number per n (birth dates 1950..2005, three-digit serials)."""
    day = n // 1000
    birth = f"{1950 + day // 336:04d}{1 + (day // 28) % 12:02d}{1 + day % 28:02d}"
    first17 = f"410105{birth}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def write_csv(path: Path, rows: int, org_name: str, district: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow([f"志愿者{n}", id_number(n), f"138{n:08d}", org_name, "是", district])


def bulk_create_same_rows(path: Path, org, district) -> int:
    """The floor: the same volunteers, built straight from the file and bulk-created."""
    now, year, count = timezone.now(), timezone.localdate().year, 0
    with path.open(encoding="utf-8", newline="") as handle, transaction.atomic():
        reader = csv.reader(handle)
        next(reader)
        batch = []
        for name, number, phone, _org, _consent, _district in reader:
            count += 1
            batch.append(Volunteer(real_name=name, id_number=number, phone=phone, registered_by=org,
                                   district=district, consent_at=now, consent_note="bench",
                                   volunteer_number=format_reference("BK", year, count)))
            if len(batch) == 500:
                Volunteer.objects.bulk_create(batch)
                batch = []
        Volunteer.objects.bulk_create(batch)
    return count


def reset():
    Volunteer.objects.all().delete()
    ReferenceSequence.objects.filter(prefix="ZY").delete()


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def peak_memory(func) -> int:
    """Peak traced Python memory of ``func``, run inside a transaction that is rolled back."""
    tracemalloc.start()
    try:
        with transaction.atomic():
            func()
            transaction.set_rollback(True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(rows: int, workdir: Path, org, manager, district) -> dict:
    path = workdir / f"volunteers-{rows}.csv"
    write_csv(path, rows, org.name, district.code)
    reset()
    count, bulk_seconds = timed(lambda: bulk_create_same_rows(path, org, district))
    assert count == rows
    reset()
    report, import_seconds = timed(lambda: run_import("volunteers", path, path.name, user=manager))
    assert report.ok and report.created == rows, report.errors[:3]
    reset()
    bulk_peak = peak_memory(lambda: bulk_create_same_rows(path, org, district))
    import_peak = peak_memory(lambda: run_import("volunteers", path, path.name, user=manager))
    reset()
    path.unlink()
    return {
        "rows": rows,
        "bulk_create_seconds": round(bulk_seconds, 3),
        "bulk_create_rows_per_s": round(rows / bulk_seconds),
        "import_seconds": round(import_seconds, 3),
        "import_rows_per_s": round(rows / import_seconds),
        "import_vs_bulk_create": round(bulk_seconds / import_seconds, 3),
        "bulk_create_peak_bytes": bulk_peak,
        "import_peak_bytes": import_peak,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,100000", help="comma-separated sizes, smallest first")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.rows.split(","))
    if connection.vendor != "postgresql":
        print("warning: not PostgreSQL; the figures the issue asks for are PostgreSQL's", file=sys.stderr)
    # a database of its own, so the tests of the same DATABASE_URL (test_<name>) can run meanwhile
    connection.settings_dict.setdefault("TEST", {})["NAME"] = connection.settings_dict["NAME"] + "_bench"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        call_command("setup_demo", "--no-demo", verbosity=0)  # departments and districts
        org = OrganizationFactory(name="压测志愿服务队")
        manager = org_user(org)
        district = District.objects.order_by("code").first()
        with tempfile.TemporaryDirectory() as tmp:
            results = [measure(n, Path(tmp), org, manager, district) for n in sizes]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"{'rows':>8} {'bulk s':>8} {'bulk r/s':>9} {'import s':>9} {'import r/s':>10} {'ratio':>6} "
          f"{'bulk peak MB':>12} {'import peak MB':>14}")
    for r in results:
        print(f"{r['rows']:>8} {r['bulk_create_seconds']:>8.2f} {r['bulk_create_rows_per_s']:>9} "
              f"{r['import_seconds']:>9.2f} {r['import_rows_per_s']:>10} {r['import_vs_bulk_create']:>6.2f} "
              f"{r['bulk_create_peak_bytes'] / 2**20:>12.1f} {r['import_peak_bytes'] / 2**20:>14.1f}")
    small, large = results[0], results[-1]
    summary = {
        "database": connection.vendor,
        "results": results,
        "targets": {
            "import_rows_per_s_over_bulk_create_min": 0.3,
            "worst_import_vs_bulk_create": min(r["import_vs_bulk_create"] for r in results),
            "peak_memory_large_over_small_max": 1.2,
            "peak_memory_large_over_small": round(large["import_peak_bytes"] / small["import_peak_bytes"], 3),
        },
    }
    print(f"import/bulk_create throughput (worst): {summary['targets']['worst_import_vs_bulk_create']:.2f} (target >= 0.3)")
    print(f"import peak memory {large['rows']} / {small['rows']} rows: "
          f"{summary['targets']['peak_memory_large_over_small']:.2f} (target <= 1.2)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
