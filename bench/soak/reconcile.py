"""After the soak: do the counters add up? Prints one JSON object and exits 0 when every check
holds, 1 otherwise. Run by ``run.py`` with the soak's environment (read-only: changes nothing).

- tasks: viewflow tasks created = done + open + cancelled (+ anything else, listed); every
  human task has its TaskRoute (D1) and both agree (no open route without a live task, no live
  task whose route is finished);
- budget lines (P1, P8): committed = what the line's live tenders hold, spent = approved
  payments of the line's contracts;
- certificates (R7, R10, R13): a valid certificate's hours = the approved, current service
  records it was built from.
"""
import json
import os
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.db.models import Sum  # noqa: E402
from viewflow.workflow.models import Task  # noqa: E402

from engine.cases.models import TaskRoute  # noqa: E402
from processes.certification.models import Certificate, ServiceRecord  # noqa: E402
from processes.procurement.models import BudgetLine, Payment, Tender  # noqa: E402

LIVE_TASK = {"NEW", "ASSIGNED", "STARTED", "SCHEDULED"}
ZERO = Decimal("0.00")


def check_tasks() -> dict:
    by_status = Counter(Task.objects.values_list("status", flat=True))
    total = sum(by_status.values())
    done, cancelled = by_status.get("DONE", 0), by_status.get("CANCELED", 0)
    live = sum(by_status.get(s, 0) for s in LIVE_TASK)
    other = {s: n for s, n in by_status.items() if s not in LIVE_TASK | {"DONE", "CANCELED"}}
    routes = dict(TaskRoute.objects.values_list("task_id", "state"))
    human = dict(Task.objects.filter(flow_task_type="HUMAN").values_list("pk", "status"))
    route_states = Counter(routes.values())
    open_route_dead_task = sorted(pk for pk, st in routes.items()
                                  if st in ("open", "claimed") and human.get(pk) not in LIVE_TASK)
    live_task_closed_route = sorted(pk for pk, st in human.items()
                                    if st in LIVE_TASK and routes.get(pk) not in ("open", "claimed"))
    done_route_task_not_done = sorted(pk for pk, st in routes.items() if st == "done" and human.get(pk) != "DONE")
    human_without_route = sorted(set(human) - set(routes))
    ok = (total == done + live + cancelled and not other and not open_route_dead_task
          and not live_task_closed_route and not done_route_task_not_done and not human_without_route)
    return {
        "ok": ok, "created": total, "done": done, "open": live, "cancelled": cancelled, "other": other,
        "routes": dict(route_states), "human_tasks": len(human),
        "open_route_without_live_task": open_route_dead_task[:20],
        "live_task_without_open_route": live_task_closed_route[:20],
        "done_route_task_not_done": done_route_task_not_done[:20],
        "human_task_without_route": human_without_route[:20],
    }


def check_budget_lines() -> dict:
    wrong = []
    lines = list(BudgetLine.objects.all())
    for line in lines:
        held = Tender.objects.filter(budget_line=line).aggregate(s=Sum("committed_amount"))["s"] or ZERO
        paid = Payment.objects.filter(contract__tender__budget_line=line,
                                      status=Payment.Status.APPROVED).aggregate(s=Sum("amount"))["s"] or ZERO
        if line.committed != held or line.spent != paid:
            wrong.append({"line": line.pk, "committed": str(line.committed), "tenders_hold": str(held),
                          "spent": str(line.spent), "payments_approved": str(paid)})
    return {"ok": not wrong, "lines": len(lines),
            "committed": str(sum((ln.committed for ln in lines), ZERO)),
            "spent": str(sum((ln.spent for ln in lines), ZERO)), "mismatches": wrong[:20]}


def check_certificates() -> dict:
    wrong = []
    valid = list(Certificate.objects.filter(status=Certificate.Status.VALID))
    record_ids = {item["id"] for cert in valid for item in cert.snapshot}
    records = {r.pk: r for r in ServiceRecord.objects.filter(pk__in=record_ids)}
    hours_total = ZERO
    for cert in valid:
        built_from = ZERO
        for item in cert.snapshot:
            record = records.get(item["id"])
            counts = (record is not None and record.status == ServiceRecord.Status.APPROVED
                      and record.is_current and not record.is_deleted)
            if not counts or Decimal(item["hours"]) != record.hours:
                wrong.append({"certificate": cert.number, "record": item["id"], "problem": "record not approved/current"
                              if not counts else "hours changed"})
            elif item.get("category", "service") == "service":
                built_from += record.hours
        if built_from != cert.total_hours:
            wrong.append({"certificate": cert.number, "total_hours": str(cert.total_hours),
                          "approved_hours": str(built_from)})
        hours_total += cert.total_hours
    by_status = Counter(Certificate.objects.values_list("status", flat=True))
    return {"ok": not wrong, "valid": len(valid), "by_status": dict(by_status), "hours_on_valid": str(hours_total),
            "mismatches": wrong[:20]}


def main():
    result = {"tasks": check_tasks(), "budget_lines": check_budget_lines(), "certificates": check_certificates()}
    print(json.dumps(result, ensure_ascii=False))
    sys.exit(0 if all(part["ok"] for part in result.values()) else 1)


if __name__ == "__main__":
    main()
