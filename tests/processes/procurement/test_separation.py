"""Separation of duties and conflicts of interest on every procurement step (D3, P4), checked by
the engine's one rule at claim, completion, reassignment and in the queue; an expert's recusal
before scoring. Each test tries the illegal case and checks that nothing changed."""
from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.cases.actions import task_claim, task_complete, task_reassign
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.selectors import task_queue
from engine.directory.models import Department, Membership, OrganizationMember
from engine.notifications.models import Notification
from processes.procurement import services
from processes.procurement.models import ExpertDeclaration, ScoreSheet, Tender
from tests.factories import member

from .conftest import route

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user):
    c = APIClient(raise_request_exception=False)
    c.force_authenticate(user)
    return c


def _also(user, code, role):
    Membership.objects.create(user=user, department=Department.objects.get(code=code), role=role)
    return user


def _refused(call, code):
    with pytest.raises(NotAllowed) as refused:
        call()
    assert refused.value.code == code
    return refused.value


def test_drafter_may_not_approve_the_precheck_a_colleague_submitted(drive, people):
    """D3: preparer != approver includes whoever drafted the case, not only who submitted."""
    drafter = _also(people["staff"], "fin", "reviewer")  # holds both roles
    drive.create()
    task_complete(actor=people["staff2"], task_id=route(drive.tender, "prepare").pk, decision="submit")
    precheck = route(drive.tender, "precheck")
    assert precheck.pk not in task_queue(drafter).values_list("pk", flat=True)  # not offered
    assert precheck.pk in task_queue(people["fin"]).values_list("pk", flat=True)
    _refused(lambda: task_claim(actor=drafter, task_id=precheck.pk), "separation_of_duties")
    _refused(lambda: task_complete(actor=drafter, task_id=precheck.pk, decision="approve"), "separation_of_duties")
    r = api(drafter).post(f"{API}/tasks/{precheck.pk}/complete/", {"decision": "approve"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "separation_of_duties"
    head = member("fin", "head", username="p_fin_head")
    _refused(lambda: task_reassign(actor=head, task_id=precheck.pk, user_id=drafter.pk), "separation_of_duties")
    precheck.refresh_from_db()
    assert precheck.state == "open" and precheck.owner_id is None
    assert drive.reload().status == "finance_precheck" and drive.tender.committed_amount == 0
    task_complete(actor=people["fin"], task_id=precheck.pk, decision="approve")  # another reviewer may
    assert drive.reload().status == "published"


def test_submitter_may_not_approve_either(drive, people):
    submitter = _also(people["staff2"], "fin", "reviewer")
    drive.create()
    task_complete(actor=submitter, task_id=route(drive.tender, "prepare").pk, decision="submit")
    _refused(lambda: task_complete(actor=submitter, task_id=route(drive.tender, "precheck").pk, decision="approve"),
             "separation_of_duties")
    assert drive.reload().status == "finance_precheck"


def test_expert_who_scored_may_not_review_the_award(drive, people):
    expert = _also(people["experts"][0], "fin", "reviewer")
    drive.award_review()
    award = route(drive.tender, "award_review")
    assert award.pk not in task_queue(expert).values_list("pk", flat=True)
    _refused(lambda: task_claim(actor=expert, task_id=award.pk), "separation_of_duties")
    _refused(lambda: task_complete(actor=expert, task_id=award.pk, decision="approve"), "separation_of_duties")
    award.refresh_from_db()
    assert award.state == "open" and drive.reload().status == "award_review" and drive.tender.standstill_end is None


def test_member_of_the_proposed_winner_never_works_its_award(drive, people):
    """D3: members of a party (here the proposed winner's organization) work none of its tasks."""
    tender = drive.award_review()
    winner = tender.awarded_bid.organization
    insider = member("fin", "reviewer", username="p_fin_insider")
    OrganizationMember.objects.create(organization=winner, user=insider)
    award = route(tender, "award_review")
    assert tender.conflicts_with(insider) and not tender.conflicts_with(people["fin"])
    assert award.pk not in task_queue(insider).values_list("pk", flat=True)
    assert award.pk in task_queue(people["fin"]).values_list("pk", flat=True)
    _refused(lambda: task_claim(actor=insider, task_id=award.pk), "conflict_of_interest")
    r = api(insider).post(f"{API}/tasks/{award.pk}/claim/")
    assert r.status_code == 403 and r.json()["code"] == "conflict_of_interest"
    # claimed by a colleague, then handed to the insider: refused as well
    task_claim(actor=people["fin"], task_id=award.pk)
    head = member("fin", "head", username="p_fin_head")
    _refused(lambda: task_reassign(actor=head, task_id=award.pk, user_id=insider.pk), "conflict_of_interest")
    award.refresh_from_db()
    assert award.owner_id == people["fin"].pk and drive.reload().status == "award_review"


def test_queue_page_does_not_offer_what_the_engine_refuses(client, drive, people):
    drafter = _also(people["staff"], "fin", "reviewer")
    drive.submit()
    link = f"/workbench/tasks/task/{route(drive.tender, 'precheck').pk}/"
    client.force_login(drafter)
    assert link not in client.get("/workbench/tasks/queue/").content.decode()
    client.force_login(people["fin"])
    assert link in client.get("/workbench/tasks/queue/").content.decode()
    listed = api(drafter).get(f"{API}/tasks/?view=queue").json()["results"]
    assert drive.tender.reference not in str(listed)


def test_tender_author_is_no_expert_of_it(drive, people):
    expert_author = member("mca", "staff", username="p_expert_author")
    Membership.objects.create(user=expert_author, department=None, role="expert")
    drive.p = {**people, "staff": expert_author}
    with pytest.raises(RuleViolation) as refused:
        drive.create(experts=[expert_author, *people["experts"][:2]])
    drive.p = people
    assert "experts" in refused.value.fields and not Tender.objects.exists()
    tender = drive.create()  # drafted by another: later naming the author on the panel is refused too
    Tender.objects.filter(pk=tender.pk).update(created_by=expert_author)
    with pytest.raises(RuleViolation):
        services.tender_update(actor=people["staff"], tender_id=tender.pk,
                               experts=[expert_author, *people["experts"][:2]])
    assert set(Tender.objects.get(pk=tender.pk).experts.all()) == set(people["experts"])


# --- recusal (D3) ----------------------------------------------------------------------------

def test_expert_recuses_head_is_told_and_reassigns_to_another_expert(drive, people, django_capture_on_commit_callbacks):
    drive.evaluation()
    expert = people["experts"][0]
    OrganizationMember.objects.create(organization=people["orgs"][0], user=expert)
    task = TaskRoute.objects.get(reference=drive.tender.reference, node="score", owner=expert)
    with django_capture_on_commit_callbacks(execute=True):
        r = api(expert).post(f"{API}/procurement/tenders/{drive.tender.reference}/recusal/",
                             {"statement": "本人系投标组织成员。"}, format="json")
    assert r.status_code == 201
    assert ExpertDeclaration.objects.get(expert=expert).recused
    assert Notification.objects.filter(user=people["head"], reference=drive.tender.reference).exists()
    # recused: may score nothing, and may not be handed the task back
    _refused(lambda: drive.score(expert), "conflict_of_interest")
    _refused(lambda: task_reassign(actor=people["head"], task_id=task.pk, user_id=expert.pk), "conflict_of_interest")
    with pytest.raises(StateConflict):
        services.expert_recuse(actor=expert, tender_id=drive.tender.pk, statement="再次声明")
    spare = member(None, "expert", username="p_expert_spare")
    with pytest.raises(NotAllowed):  # only the department head reassigns
        task_reassign(actor=people["staff"], task_id=task.pk, user_id=spare.pk)
    task_reassign(actor=people["head"], task_id=task.pk, user_id=spare.pk, reason="专家回避")
    with drive.at(drive.tender.tender_end + timedelta(hours=1)):  # the new expert reads the bids to score
        listed = api(spare).get(f"{API}/procurement/tenders/{drive.tender.reference}/bids/").json()
        assert listed["count"] == 3 and all(b["price"] for b in listed["results"])
    for e in (spare, *people["experts"][1:]):
        drive.score(e)
    tender = drive.reload()
    assert tender.status == "award_review"
    assert not ScoreSheet.objects.filter(expert=expert).exists() and ScoreSheet.objects.filter(expert=spare).count() == 3


def test_recusal_is_refused_to_whoever_holds_no_scoring_task_whatever_the_state(drive, people):
    tender = drive.open_bidding()
    outsider = member(None, "expert", username="p_expert_outsider")
    for user in (outsider, people["staff"]):
        r = api(user).post(f"{API}/procurement/tenders/{tender.reference}/recusal/", {"statement": "x"}, format="json")
        assert r.status_code == 404
    with pytest.raises(NotFound):
        services.expert_recuse(actor=people["experts"][0], tender_id=tender.pk, statement="x")  # no task yet
    r = api(people["experts"][0]).post(f"{API}/procurement/tenders/{tender.reference}/recusal/", {"statement": ""},
                                       format="json")
    assert r.status_code == 400
    assert not ExpertDeclaration.objects.exists()
    assert not AuditEvent.objects.filter(action="procurement.score.recuse").exists()


def test_recusal_after_scoring_is_a_conflict(drive, people):
    drive.evaluation()
    expert = people["experts"][0]
    drive.score(expert)
    with pytest.raises((StateConflict, NotFound)):
        services.expert_recuse(actor=expert, tender_id=drive.tender.pk, statement="迟到的声明")
    assert not ExpertDeclaration.objects.get(expert=expert).recused
    assert Tender.objects.get(pk=drive.tender.pk).status == "evaluation"


def test_a_member_of_the_contracted_organization_approves_no_payment_and_cancels_nothing(drive, people):
    """D3 beside the queue steps: payments, milestones and cancelling are case work too."""
    tender = drive.delivery()
    payee = tender.contract.organization
    insider_fin = member("fin", "reviewer", username="p_fin_payee")
    insider_staff = member("mca", "staff", username="p_mca_payee")
    for user in (insider_fin, insider_staff):
        OrganizationMember.objects.create(organization=payee, user=user)
    m = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期", due_date="2026-12-31",
                               amount="10000.00")
    _refused(lambda: services.milestone_accept(actor=insider_staff, milestone_id=m.pk), "conflict_of_interest")
    services.milestone_accept(actor=people["reviewer"], milestone_id=m.pk)
    p = services.payment_request(actor=people["org_users"][1], milestone_id=m.pk, amount="10000.00")
    _refused(lambda: services.payment_approve(actor=insider_fin, payment_id=p.pk), "conflict_of_interest")
    r = api(insider_fin).post(f"{API}/procurement/payments/{p.pk}/approve/")
    assert r.status_code == 403 and r.json()["code"] == "conflict_of_interest"
    p.refresh_from_db()
    assert p.status == "requested" and tender.contract.__class__.objects.get(pk=tender.contract.pk).paid == 0


def test_a_bidders_member_in_the_department_cannot_cancel_the_tender(drive, people):
    tender = drive.open_bidding()
    drive.bid(0, "90000.00")
    OrganizationMember.objects.create(organization=people["orgs"][0], user=people["staff2"])
    _refused(lambda: services.tender_cancel(actor=people["staff2"], tender_id=tender.pk, reason="不需要了"),
             "conflict_of_interest")
    assert drive.reload().status == "tendering"
