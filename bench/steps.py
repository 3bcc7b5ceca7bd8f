"""Workflow steps per second through the engine's services, at 1 and 8 concurrent workers,
for each process, against pgbench's TPC-B-like transactions per second at the same
concurrency on a scratch database of the same server in the same run.

    .venv/bin/python bench/steps.py [--seconds 10] [--workers 1,8]

A step is a claim and a completion of a human task (``task_claim`` then ``task_complete``:
row lock, right check, FSM transition, audit event, next task routed), or a process service
that moves a case on (a resubmission, a new request). Each worker is a separate process with
its own connection and its own case, cycling through a loop the process allows:

- example (the engine alone): prepare -> submit, review -> send back, and again;
- procurement: prepare -> submit to finance, finance precheck -> refuse, and again (P1);
- incubation: intake -> return for supplements, the applicant resubmits, and again (I1);
- certification: a volunteer requests a certificate, the organization refuses it; a new one.

What is measured is whatever code is checked out: today's audit trail still serialises
every step on its chain head, so 8 workers are not expected to beat 1 yet.
"""
import argparse
import multiprocessing
import re
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.setup_django()  # before the modules below import any model

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.utils import timezone

from engine.cases.actions import task_claim, task_complete
from engine.cases.models import TaskRoute
from engine.directory.models import Department, Organization, OrganizationMember
from processes.certification.models import ServiceRecord, Volunteer
from processes.certification.services.requests import request_create
from processes.incubation.models import IncubationApplication
from processes.incubation.services import application_create, application_submit
from processes.procurement.models import Tender
from processes.procurement.services import tender_create
from tests.example.services import example_create
from tests.factories import OrganizationFactory, make_uscc, org_user

PGBENCH_DB = "zhiyuan_pgbench"


def _route(reference, node):
    return TaskRoute.objects.open().get(reference=reference, node=node)


def _claim_complete(actor, reference, node, decision, reason=""):
    route = _route(reference, node)
    if route.owner_id is None:  # some flows hand the task to its holder already (R9)
        task_claim(actor=actor, task_id=route.pk)
    task_complete(actor=actor, task_id=route.pk, decision=decision, reason=reason)
    return 1


def _users(*names):
    return [get_user_model().objects.get(username=n) for n in names]


# --- each process: make one case per worker, then one cycle of steps on it ------------------

def example_cases(n):
    staff, = _users("base_staff")
    base = Department.objects.get(code="base-city")
    return [example_create(actor=staff, department=base, subject=f"压测事项{i}").reference for i in range(n)]


def example_cycle(reference):
    staff, reviewer = _users("base_staff", "base_reviewer")
    return (_claim_complete(staff, reference, "prepare", "submit")
            + _claim_complete(reviewer, reference, "approve", "send_back", "压测退回"))


def procurement_cases(n):
    staff, *experts = _users("mca_staff", "expert1", "expert2", "expert3")
    model = Tender.objects.filter(department__code="mca").order_by("pk").first()
    now = timezone.now()
    return [tender_create(
        actor=staff, department=model.department, name=f"压测采购项目{i}", catalogue_item=model.catalogue_item,
        budget_line=model.budget_line, method="open", amount=Decimal("1000.00"), enquiry_end=now + timedelta(days=10),
        tender_end=now + timedelta(days=20), experts=experts).reference for i in range(n)]


def procurement_cycle(reference):
    staff, finance = _users("mca_staff", "fin_reviewer")
    return (_claim_complete(staff, reference, "prepare", "submit")
            + _claim_complete(finance, reference, "precheck", "refuse", "压测退回"))


def incubation_cases(n):
    base = Department.objects.get(code="base-city")
    references, start = [], Organization.objects.count() + 900_000
    for i in range(start, start + n):
        org = OrganizationFactory(uscc=make_uscc(i))
        manager = org_user(org, username=f"bench_applicant{i}")
        case = application_create(actor=manager, organization=org, base=base, plan="压测孵化计划",
                                  documents=["章程.pdf"])
        references.append(application_submit(actor=manager, application=case).reference)
    return references


def incubation_cycle(reference):
    staff, = _users("base_staff")
    steps = _claim_complete(staff, reference, "intake", "return", "压测：请补充材料")
    case = IncubationApplication.objects.get(reference=reference)
    applicant = OrganizationMember.objects.filter(organization_id=case.organization_id).first().user
    application_submit(actor=applicant, application=case)
    return steps + 1


def certification_cases(n):
    record = ServiceRecord.objects.filter(status="approved", volunteer__user__isnull=False).order_by("pk").first()
    return [(record.volunteer_id, record.activity.organization_id)] * n


def certification_cycle(key):
    volunteer, organization = Volunteer.objects.get(pk=key[0]), Organization.objects.get(pk=key[1])
    manager = OrganizationMember.objects.filter(organization=organization, role="manager").first().user
    case = request_create(actor=volunteer.user, volunteer=volunteer, organization=organization)
    return 1 + _claim_complete(manager, case.reference, "verify", "refuse", "压测：不予出具")


PROCESSES = {
    "example": (example_cases, example_cycle),
    "procurement": (procurement_cases, procurement_cycle),
    "incubation": (incubation_cases, incubation_cycle),
    "certification": (certification_cases, certification_cycle),
}


def _worker(process, key, seconds, queue):
    cycle = PROCESSES[process][1]
    steps, errors, first_error = 0, 0, None
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        try:
            steps += cycle(key)
        except Exception as exc:  # noqa: BLE001 - a refused or lost step is counted, not fatal
            errors += 1
            first_error = first_error or f"{type(exc).__name__}: {exc}"[:200]
            if errors > 50 and steps == 0:
                break
    connection.close()
    queue.put((steps, errors, first_error))


def run_workers(process, keys, seconds):
    connections.close_all()  # never share a connection across fork
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(process, key, seconds, queue)) for key in keys]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    outcomes = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.monotonic() - t0
    steps = sum(o[0] for o in outcomes)
    return {"steps": steps, "steps_per_s": steps / elapsed, "errors": sum(o[1] for o in outcomes),
            "first_error": next((o[2] for o in outcomes if o[2]), None)}


def pgbench(clients, seconds):
    url = common.BENCH_DB.rsplit("/", 1)[0]
    host = re.search(r"@([^:/]+)", url).group(1)
    user = re.search(r"//([^@:]+)", url).group(1)
    base = ["-h", host, "-U", user]
    common.recreate_database(PGBENCH_DB)
    subprocess.run(["pgbench", *base, "-i", "-q", "-s", "1", PGBENCH_DB], check=True, capture_output=True)
    out = subprocess.run(["pgbench", *base, "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(int(seconds)),
                          PGBENCH_DB], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"tps = ([0-9.]+)", out).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", default="1,8")
    parser.add_argument("--processes", default=",".join(PROCESSES))
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    common.fresh_database(demo=True)
    results = {"pgbench_tps": {}}
    for n in counts:
        results["pgbench_tps"][n] = pgbench(n, args.seconds)
    rows = []
    for process in args.processes.split(","):
        make_cases, _ = PROCESSES[process]
        results[process] = {}
        for n in counts:
            try:
                keys = make_cases(n)
            except Exception as exc:  # noqa: BLE001 - report the process as not measured, go on
                results[process][n] = {"steps_per_s": None, "errors": 1, "first_error": f"{type(exc).__name__}: {exc}"}
            else:
                results[process][n] = run_workers(process, keys, args.seconds)
            r = results[process][n]
            tps = results["pgbench_tps"][n]
            r["vs_pgbench"] = r["steps_per_s"] / tps if r["steps_per_s"] is not None else None
            rows.append([process, n, r["steps_per_s"] if r["steps_per_s"] is not None else "—", tps,
                         f"{r['vs_pgbench']:.4f}" if r["vs_pgbench"] is not None else "—", r["errors"],
                         (r.get("first_error") or "")[:70]])
        for n in counts[1:]:
            one, many = results[process][counts[0]]["steps_per_s"], results[process][n]["steps_per_s"]
            results[process][f"scaling_{n}"] = many / one if one and many else None
    text = common.table(f"每秒办理步数（认领并办结）与 pgbench tps，各 {args.seconds:g} 秒",
                        ["process", "workers", "steps/s", "pgbench tps", "steps/tps", "errors", "first error"], rows)
    common.write_result("steps", {"settings": vars(args), "results": results}, text)


if __name__ == "__main__":
    main()
