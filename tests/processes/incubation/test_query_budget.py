"""Each incubation step costs a fixed, small number of queries, whatever else is in the system."""
import pytest

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from processes.incubation import services
from tests.factories import OrganizationFactory, org_user

from .conftest import open_route

pytestmark = pytest.mark.django_db
BUDGET = {"intake": 45, "score": 25, "approval": 27}  # intake creates one task per expert


def application(base, n):
    org = OrganizationFactory(name=f"预算组织{n}")
    user = org_user(org, username=f"budget_org{n}")
    case = services.application_create(actor=user, organization=org, base=base, plan="计划", documents=["a"])
    return services.application_submit(actor=user, application=case)


def steps(base, people, count_queries, n):
    case = application(base, n)
    expert = people["experts"][0]
    cost = {"intake": count_queries(lambda: task_complete(
        actor=people["staff"], task_id=open_route(case, "intake").pk, decision="accept"))}
    score = TaskRoute.objects.get(reference=case.reference, node="score", owner=expert, state="claimed")
    cost["score"] = count_queries(lambda: task_complete(
        actor=expert, task_id=score.pk, decision="score", data={"score": 80}))
    for other in people["experts"][1:]:
        route = TaskRoute.objects.get(reference=case.reference, node="score", owner=other, state="claimed")
        task_complete(actor=other, task_id=route.pk, decision="score", data={"score": 80})
    cost["approval"] = count_queries(lambda: task_complete(
        actor=people["mca"], task_id=open_route(case, "approval").pk, decision="approve"))
    return cost


def test_steps_stay_within_their_query_budget_as_applications_grow(base, people, count_queries):
    steps(base, people, count_queries, 0)  # warm the caches (content types, calendar)
    first = steps(base, people, count_queries, 8)
    for n in range(1, 5):
        application(base, n)
    later = steps(base, people, count_queries, 9)
    assert first == later
    assert all(first[name] <= BUDGET[name] for name in BUDGET), first
