"""The task page offers exactly the actions the services accept: for each person and each state
of a task, every button shown is an action that succeeds, and every action that would succeed
has its button (and the people listed for reassign and delegate are those the service accepts)."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from engine.cases.actions import task_claim, task_delegate, task_reassign, task_release, task_resolve
from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.engine.cases.conftest import base_people, example_case  # noqa: F401
from tests.example.flows import AssignedExampleFlow
from tests.example.models import ExampleCase
from tests.example.services import example_submit
from tests.factories import member

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def _succeeds(call) -> bool:
    """Whether the service accepts the action; whatever it did is undone."""
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return True
    except DomainError:
        return False


def _shown(client, route):
    page = client.get(f"/workbench/tasks/task/{route.pk}/")
    assert page.status_code == 200
    html = page.content.decode()

    def options(form_id):
        form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', html, re.S)
        return {int(pk) for pk in re.findall(r'<option value="(\d+)"', form.group(0))} if form else set()

    return {
        "claim": 'value="claim"' in html, "release": 'value="release"' in html,
        "resolve": 'value="resolve"' in html, "reassign": options("reassign-form"),
        "delegate": options("delegate-form"),
    }


def _allowed(user, route, people):
    others = [p for p in people if p.pk not in (user.pk, route.owner_id)]
    return {
        "claim": _succeeds(lambda: task_claim(actor=user, task_id=route.pk)),
        "release": _succeeds(lambda: task_release(actor=user, task_id=route.pk)),
        "resolve": _succeeds(lambda: task_resolve(actor=user, task_id=route.pk)),
        "reassign": {p.pk for p in others
                     if _succeeds(lambda p=p: task_reassign(actor=user, task_id=route.pk, user_id=p.pk))},
        "delegate": {p.pk for p in others
                     if _succeeds(lambda p=p: task_delegate(actor=user, task_id=route.pk, user_id=p.pk))},
    }


def _check(client, route, users):
    people = list(get_user_model().objects.filter(is_active=True))
    checked = 0
    for user in users:
        route.refresh_from_db()
        client.force_login(user)
        shown, allowed = _shown(client, route), _allowed(user, route, people)
        assert shown == allowed, (user.username, route.state, shown, allowed)
        checked += 1
    return checked


def test_an_open_task_offers_what_the_services_accept(client, base_people, example_case):  # noqa: F811
    colleague = member("base-city", "staff", username="ex_colleague")
    route = TaskRoute.objects.get(reference=example_case.reference)
    assert route.state == "open"
    assert _check(client, route, [base_people["staff"], colleague, base_people["head"]]) == 3
    client.force_login(base_people["head"])
    assert _shown(client, route)["claim"] and _shown(client, route)["reassign"]  # not a vacuous comparison


def test_a_claimed_and_a_delegated_task_offer_what_the_services_accept(client, base_people, example_case):  # noqa: F811
    colleague = member("base-city", "staff", username="ex_colleague")
    route = TaskRoute.objects.get(reference=example_case.reference)
    task_claim(actor=base_people["staff"], task_id=route.pk)
    _check(client, route, [base_people["staff"], colleague, base_people["head"]])
    client.force_login(base_people["staff"])
    assert _shown(client, route)["release"] and colleague.pk in _shown(client, route)["delegate"]

    task_delegate(actor=base_people["staff"], task_id=route.pk, user_id=colleague.pk)
    _check(client, route, [base_people["staff"], colleague, base_people["head"]])
    client.force_login(colleague)
    assert _shown(client, route)["resolve"]


def test_the_preparer_is_offered_no_claim_of_the_review(client, base_people, example_case):  # noqa: F811
    """D3: the review step is separate from preparing; the page agrees with the service."""
    prepare = TaskRoute.objects.get(reference=example_case.reference)
    task_claim(actor=base_people["head"], task_id=prepare.pk)
    example_submit(actor=base_people["head"], task_id=prepare.pk, reason="", data={})
    review = TaskRoute.objects.get(reference=example_case.reference, state="open")
    _check(client, review, [base_people["reviewer"], base_people["head"]])
    client.force_login(base_people["head"])
    assert not _shown(client, review)["claim"]
    assert 'name="decision"' not in client.get(f"/workbench/tasks/task/{review.pk}/").content.decode()
    client.force_login(base_people["reviewer"])
    assert _shown(client, review)["claim"]
    assert 'name="decision"' in client.get(f"/workbench/tasks/task/{review.pk}/").content.decode()


def test_a_personal_task_offers_neither_release_nor_delegation(client, base_people):  # noqa: F811
    member("base-city", "staff", username="ex_colleague")
    case = ExampleCase.objects.create(
        department=Department.objects.get(code="base-city"), subject="指派", created_by=base_people["staff"])
    AssignedExampleFlow.start.run(case=case)
    route = TaskRoute.objects.get(reference=case.reference)
    _check(client, route, [base_people["staff"], base_people["head"]])
    client.force_login(base_people["head"])
    assert _shown(client, route)["reassign"]


def test_the_task_page_costs_the_same_queries_whatever_the_department_size(
        client, base_people, example_case, django_assert_max_num_queries):  # noqa: F811
    """The reassign and delegate pickers check every colleague against the rules in bulk."""
    route = TaskRoute.objects.get(reference=example_case.reference)
    client.force_login(base_people["head"])
    client.get(f"/workbench/tasks/task/{route.pk}/")  # warm the per-process caches
    with django_assert_max_num_queries(60) as few:
        small = client.get(f"/workbench/tasks/task/{route.pk}/")
    for n in range(15):
        member("base-city", "staff" if n % 2 else "reviewer", username=f"ex_more{n}")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        large = client.get(f"/workbench/tasks/task/{route.pk}/")
    assert len(many.captured_queries) == len(few.captured_queries)
    newcomers = set(get_user_model().objects.filter(username__startswith="ex_more", memberships__role="staff")
                    .values_list("pk", flat=True))
    assert len(newcomers) == 7 and newcomers <= _shown(client, route)["reassign"]
    assert small.status_code == large.status_code == 200
