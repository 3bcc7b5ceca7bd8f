"""Expert scoring (P5), conflicts of interest (D3), ranking, and finance's award review (P6)."""
import json
from decimal import Decimal

import pytest

from engine.audit.models import AuditEvent
from engine.cases.actions import task_claim, task_complete
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.directory.models import OrganizationMember
from processes.procurement import services
from processes.procurement.models import Bid, BudgetLine, ExpertDeclaration, ScoreSheet

from .conftest import route

pytestmark = pytest.mark.django_db


def _task(drive, expert):
    return TaskRoute.objects.get(reference=drive.tender.reference, node="score", owner=expert, state="claimed")


def test_each_expert_works_only_their_own_task(drive, people):
    drive.evaluation()
    e0, e1 = people["experts"][:2]
    with pytest.raises(NotAllowed):
        task_complete(actor=e1, task_id=_task(drive, e0).pk, decision="submit", data={})
    with pytest.raises(NotAllowed):
        task_claim(actor=people["staff"], task_id=_task(drive, e0).pk)
    assert not ScoreSheet.objects.exists()


def test_scores_must_cover_every_bid_and_stay_within_the_weights(drive, people):
    drive.evaluation()
    expert = people["experts"][0]
    with pytest.raises(RuleViolation, match="分值"):
        drive.score(expert, sheet={"plan": "41", "team": "10"})
    with pytest.raises(RuleViolation):
        drive.score(expert, sheet={"plan": "30"})
    with pytest.raises(RuleViolation, match="每一份"):
        task_complete(actor=expert, task_id=_task(drive, expert).pk, decision="submit",
                      data={"sheets": [{"bid": drive.bids[0].pk, "scores": {"plan": "1", "team": "1"}}]})
    assert not ScoreSheet.objects.exists() and not ExpertDeclaration.objects.exists()


def test_expert_who_belongs_to_a_bidder_scores_nothing_of_the_tender(drive, people):
    """D3: a member of a bidding organization is a party of the tender; as an expert they
    recuse from the whole evaluation, not only from their organization's bid."""
    expert = people["experts"][0]
    OrganizationMember.objects.create(organization=people["orgs"][0], user=expert)
    drive.evaluation()
    for conflicts in ((), [people["orgs"][0].pk]):
        with pytest.raises(NotAllowed) as refused:
            drive.score(expert, conflicts=conflicts)
        assert refused.value.code == "conflict_of_interest"
    assert not ScoreSheet.objects.exists() and not ExpertDeclaration.objects.exists()
    assert _task(drive, expert).state == "claimed" and drive.reload().status == "evaluation"


def test_declared_conflict_excludes_the_bid_from_that_experts_sheets(drive, people):
    drive.evaluation()
    e0 = people["experts"][0]
    drive.score(e0, conflicts=[people["orgs"][1].pk])
    assert not ScoreSheet.objects.filter(expert=e0, bid__organization=people["orgs"][1]).exists()


def test_price_score_follows_the_lowest_valid_price_and_ranking_is_recomputable(drive, people):
    drive.evaluation(prices=("100000.00", "80000.00", "90000.00"))
    strong = {"plan": "40", "team": "30"}
    weak = {"plan": "20", "team": "10"}
    for expert in people["experts"]:
        r = _task(drive, expert)
        sheets = [{"bid": b.pk, "scores": strong if b.organization == people["orgs"][0] else weak}
                  for b in drive.bids]
        task_complete(actor=expert, task_id=r.pk, decision="submit", data={"sheets": sheets})
    tender = drive.reload()
    assert tender.status == "award_review"
    a, b, c = (Bid.objects.get(pk=x.pk) for x in drive.bids)
    assert b.price_score == Decimal("30.00")             # the base price scores the full weight
    assert a.price_score == Decimal("24.00")             # 80000 / 100000 × 30
    assert c.price_score == Decimal("26.67")             # 80000 / 90000 × 30
    assert a.total_score == Decimal("94.00") and a.rank == 1 and tender.awarded_bid == a
    recomputed = services.compute_ranking(tender)
    assert [(r.bid.pk, r.total_score, r.rank) for r in recomputed] == [
        (x.pk, x.total_score, x.rank) for x in sorted([a, b, c], key=lambda x: x.rank)
    ]


def test_second_submission_by_the_same_expert_is_refused(drive, people):
    drive.evaluation()
    expert = people["experts"][0]
    r = _task(drive, expert)
    drive.score(expert)
    with pytest.raises(StateConflict):
        task_complete(actor=expert, task_id=r.pk, decision="submit", data={})


def test_award_review_only_by_finance(drive, people):
    tender = drive.award_review()
    review = route(tender, "award_review")
    for outsider in (people["staff"], people["head"], people["fin_jinshui"], people["experts"][0]):
        with pytest.raises(NotAllowed):
            task_complete(actor=outsider, task_id=review.pk, decision="approve")
    assert drive.reload().status == "award_review"


def test_award_refusal_makes_the_tender_unsuccessful(drive, people):
    tender = drive.award_review()
    review = route(tender, "award_review")
    task_complete(actor=people["fin"], task_id=review.pk, decision="refuse", reason="评审程序不合规")
    tender = drive.reload()
    assert tender.status == "unsuccessful" and tender.outcome_reason == "评审程序不合规"
    assert BudgetLine.objects.get().committed == 0
    event = AuditEvent.objects.get(reference=tender.reference, action="procurement.award_review.refuse")
    assert event.reason == "评审程序不合规" and event.after["status"] == "unsuccessful"
    with pytest.raises(StateConflict):
        task_complete(actor=people["fin"], task_id=review.pk, decision="approve")


def test_score_from_the_task_form_as_json_text(drive, people):
    drive.evaluation()
    expert = people["experts"][0]
    sheets = [{"bid": b.pk, "scores": {"plan": "30", "team": "20"}} for b in drive.bids]
    task_complete(actor=expert, task_id=_task(drive, expert).pk, decision="submit",
                  data={"declaration": "无", "conflicts": "", "sheets": json.dumps(sheets)})
    assert ScoreSheet.objects.filter(expert=expert).count() == 3
    other = people["experts"][1]
    with pytest.raises(RuleViolation, match="JSON"):
        task_complete(actor=other, task_id=_task(drive, other).pk, decision="submit", data={"sheets": "[{"})


@pytest.mark.parametrize("points", ["NaN", "Infinity", "abc", None, "1.234"])
def test_a_score_that_is_not_a_number_is_refused_and_nothing_stored(drive, people, points):
    drive.evaluation()
    with pytest.raises(RuleViolation):
        drive.score(people["experts"][0], sheet={"plan": points, "team": "20"})
    assert not ScoreSheet.objects.exists() and not ExpertDeclaration.objects.exists()
    assert _task(drive, people["experts"][0]).state == "claimed"


def test_out_of_range_score_names_the_criterion_in_chinese(drive, people):
    drive.evaluation()
    with pytest.raises(RuleViolation, match="“服务方案”的分值须在0至40之间"):
        drive.score(people["experts"][0], sheet={"plan": "41", "team": "20"})
