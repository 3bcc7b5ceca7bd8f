"""Expert evaluation (P5) with conflict-of-interest declarations (D3) and a recomputable ranking.

Each panel expert works their own task: declares conflicts, then scores every valid bid they
have no conflict with on the tender's weighted technical criteria. The price score is
基准价/报价 × 价格权重, the base being the lowest valid price. When the last expert is done the
ranking is computed from the stored score sheets and the best bid is proposed for award.
"""
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import TaskRoute
from engine.cases.panels import expert_task, panel_average, recusal_record
from engine.cases.services import case_step
from engine.directory import rights
from engine.notifications.services import Text

from ..models import Bid, ExpertDeclaration, ScoreSheet, Tender
from .common import lock_tender, number, release_commitment, text

CENT = Decimal("0.01")


@dataclass
class Ranked:
    bid: Bid
    price_score: Decimal
    technical_score: Decimal
    total_score: Decimal
    rank: int


def compute_ranking(tender: Tender) -> list[Ranked]:
    """The ranking as the score sheets give it now; pure, so anyone can recompute it (P5)."""
    bids = list(tender.bids.filter(withdrawn_at__isnull=True, valid=True).select_related("organization")
                .order_by("submitted_at", "pk"))
    sheets: dict[int, list[Decimal]] = {}
    for bid_id, total in ScoreSheet.objects.filter(tender=tender).values_list("bid_id", "technical_total"):
        sheets.setdefault(bid_id, []).append(total)
    scored = [b for b in bids if sheets.get(b.pk)]
    if not scored:
        return []
    base = min(b.price for b in scored)
    rows = []
    for bid in scored:
        price_score = (base / bid.price * tender.price_weight).quantize(CENT, ROUND_HALF_UP)
        technical = panel_average(sheets[bid.pk])
        rows.append([bid, price_score, technical, price_score + technical])
    rows.sort(key=lambda r: (-r[3], r[0].price, r[0].submitted_at, r[0].pk))
    return [Ranked(bid, p, t, total, n) for n, (bid, p, t, total) in enumerate(rows, 1)]


def ranking_store(tender: Tender) -> list[Ranked]:
    """Write the computed scores and ranks onto the bids."""
    ranking = compute_ranking(tender)
    for row in ranking:
        Bid.objects.filter(pk=row.bid.pk).update(
            price_score=row.price_score, technical_score=row.technical_score,
            total_score=row.total_score, rank=row.rank,
        )
    return ranking


def _check_sheet(tender, raw):
    criteria = {c["code"]: (c.get("name") or c["code"], Decimal(str(c["weight"]))) for c in tender.criteria}
    scores = raw.get("scores") if isinstance(raw, dict) else None
    if not isinstance(scores, dict) or set(scores) != set(criteria):
        raise RuleViolation(_("Please score every criterion."), fields={"sheets": [_("Scores are missing.")]})
    clean = {}
    for code, (name, weight) in criteria.items():
        points = number(scores[code], "sheets")
        if not (0 <= points <= weight):
            raise RuleViolation(
                _("The score for “%(name)s” must be between 0 and %(weight)s.") % {"name": name, "weight": weight},
                fields={"sheets": [_("Score out of range.")]},
            )
        clean[code] = str(points)
    return clean, sum(Decimal(v) for v in clean.values())


def _parsed(data: dict) -> dict:
    """The task page posts the sheets and conflicts as JSON text; the API as lists."""
    data = dict(data)
    for key in ("sheets", "conflicts"):
        if isinstance(data.get(key), str):
            try:
                data[key] = json.loads(data[key] or "[]")
            except ValueError:
                raise RuleViolation(_("Score sheets must be JSON."), fields={key: [_("Invalid format.")]}) from None
    return data


def score_submit(*, actor, task_id, reason="", data=None) -> Tender:
    """An expert's declaration and score sheets, all at once (D3, P5).

    ``data``: ``{"declaration": str, "conflicts": [organization ids], "sheets": [{"bid": id,
    "scores": {code: points}, "comment": str}]}``. Bids of organizations the expert belongs
    to count as declared conflicts; scoring such a bid is refused.
    """
    data = _parsed(data or {})
    with case_step(task_id=task_id, actor=actor, decision="submit", reason=reason) as step:
        tender = step.case
        if step.route.owner_id != actor.pk:  # the panel expert, or whom the head reassigned it to
            raise NotAllowed(_("This evaluation task is another expert's."))
        if ExpertDeclaration.objects.filter(tender=tender, expert=actor).exists():
            raise StateConflict(_("You have already submitted your evaluation."))
        bids = {b.pk: b for b in tender.bids.filter(withdrawn_at__isnull=True, valid=True)}
        bidder_orgs = {b.organization_id for b in bids.values()}
        try:
            declared = {int(x) for x in data.get("conflicts") or []}
        except (TypeError, ValueError):
            raise RuleViolation(_("The organizations with a conflict of interest are not valid."), fields={"conflicts": [_("Invalid format.")]}) from None
        conflicts = (declared | rights.organization_ids(actor)) & bidder_orgs
        required = {pk for pk, b in bids.items() if b.organization_id not in conflicts}
        sheets = data.get("sheets") or []
        if not isinstance(sheets, list):
            raise RuleViolation(_("The score sheets are not valid."), fields={"sheets": [_("Invalid format.")]})
        given = {}
        for raw in sheets:
            try:
                bid_id = int(raw.get("bid")) if isinstance(raw, dict) else None
            except (TypeError, ValueError):
                bid_id = None
            if bid_id in bids and bid_id not in required:
                raise NotAllowed(_("You have a conflict of interest with this bidder and may not score it."), code="conflict_of_interest")
            if bid_id not in required or bid_id in given:
                raise RuleViolation(_("A bid in the score sheets is invalid or repeated."), fields={"sheets": [_("Invalid bid.")]})
            given[bid_id] = (raw, *_check_sheet(tender, raw))
        if set(given) != required:
            raise RuleViolation(_("Please score every valid bid."), fields={"sheets": [_("Some bids are not scored.")]})
        declaration = ExpertDeclaration.objects.create(
            tender=tender, expert=actor, statement=str(data.get("declaration") or ""),
        )
        declaration.conflicts.set(conflicts)
        for bid_id, (raw, scores, total) in given.items():
            ScoreSheet.objects.create(tender=tender, bid=bids[bid_id], expert=actor, scores=scores,
                                      technical_total=total, comment=str(raw.get("comment") or ""))
        step.audit_after.update({"sheets": len(given), "conflicts": sorted(conflicts)})
        others_open = TaskRoute.objects.open().filter(
            case_type_id=step.route.case_type_id, case_id=tender.pk, node="score",
        ).exclude(pk=step.route.pk).exists()
        if not others_open:
            _conclude(tender, step)
    return step.case


def expert_recuse(*, actor, tender_id, statement: str) -> ExpertDeclaration:
    """D3: a panel expert declares a conflict of interest with the tender before scoring and
    recuses. From then on ``Tender.conflicts_with`` keeps them off every task of it; their
    scoring task stays open until the department head reassigns it to another expert with the
    engine's reassignment (which checks the new expert the same way); the head is told.

    The right is checked before the state: without a scoring task of one's own the answer is
    404 whatever the tender's state."""
    statement = text(statement, "statement", label=_("the conflict of interest"), required=True)
    with transaction.atomic():
        route = expert_task(Tender, getattr(tender_id, "pk", tender_id), actor)
        if route is None:
            raise NotFound(_("No evaluation task is assigned to you."))
        tender = lock_tender(tender_id)
        if tender.status != Tender.Status.EVALUATION:
            raise StateConflict(_("The tender is no longer under expert evaluation."), code="not_evaluation")
        if ExpertDeclaration.objects.filter(tender=tender, expert=actor).exists():
            raise StateConflict(_("You have already submitted your evaluation or recused yourself."), code="already_declared")
        declaration = ExpertDeclaration.objects.create(tender=tender, expert=actor, statement=statement, recused=True)
        recusal_record(
            case=tender, route=route, expert=actor, statement=statement, action="procurement.score.recuse",
            after={"recused": True},
            body=Text(gettext_lazy("Expert %(expert)s declared a conflict of interest with this tender and recused; please reassign their evaluation tasks to another expert."), expert=actor))
    return declaration


def _conclude(tender, step):
    """The last sheet is in: rank, then propose the best bid or declare the tender unsuccessful."""
    ranking = ranking_store(tender)
    if ranking:
        tender.propose_award(ranking[0].bid)
        step.audit_after.update({"proposed_bid": ranking[0].bid.pk, "ranking": [r.bid.pk for r in ranking]})
    else:
        tender.fail(_("No valid bid to evaluate."))
        step.audit_after["released"] = release_commitment(tender)
