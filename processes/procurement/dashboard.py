"""Procurement's figures on the dashboard (issue #14 "Money"): purchased-service budgets
against committed and spent per department (P8), the share of contract value awarded to
social organizations (the national guideline: at least ``DASHBOARD_SOCIAL_SHARE_GUIDELINE``
of new public-service purchases), the number of valid bids per tender at its deadline, and the
savings of the contracts against their ceiling price. All read live: these tables hold one
row per budget line, tender or contract, a few thousand a year."""
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from engine.dashboard.charts import INT, MONEY, PERCENT, TEXT, Chart, Column, percent

from .models import Bid, BudgetLine, Contract, Tender

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENTS)  # D5: SQLite's SUM drops the scale


def budgets(scope) -> Chart:
    rows = (BudgetLine.objects.filter(scope.department_q(), year=scope.year).values("department__name")
            .annotate(amount=Sum("amount"), committed=Sum("committed"), spent=Sum("spent")).order_by("department__name"))
    return Chart(
        "budgets", "money", _("Purchased-service budget, committed and spent, by department"),
        [Column(_("Department"), TEXT), Column(_("Budget"), MONEY), Column(_("Committed"), MONEY),
         Column(_("Spent"), MONEY), Column(_("Spent of budget"), PERCENT, plotted=False)],
        [[r["department__name"], _money(r["amount"]), _money(r["committed"]), _money(r["spent"]),
          percent(r["spent"] or 0, r["amount"] or 0)] for r in rows],
        note=_("Budget lines of the year; committed when a contract is awarded, spent when a payment is approved."),
    )


def _contracts(scope):
    qs = Contract.objects.filter(signed_at__gte=scope.start, signed_at__lt=scope.end)
    if scope.is_organization:
        return qs.filter(organization_id__in=scope.organization_ids)
    return qs.filter(scope.department_q("tender__department"))


def social_share(scope) -> Chart:
    """A social organization: registered with the civil affairs bureau and not fiscally funded."""
    social = Q(organization__registered=True, organization__fiscal_funded=False)
    found = _contracts(scope).aggregate(total=Sum("amount"), social=Sum("amount", filter=social))
    total, part = _money(found["total"]), _money(found["social"])
    guideline = Decimal(str(settings.DASHBOARD_SOCIAL_SHARE_GUIDELINE)) * 100
    return Chart(
        "social_share", "money", _("Contract value awarded to social organizations"),
        [Column(_("Contractor"), TEXT), Column(_("Contract value"), MONEY), Column(_("Share"), PERCENT, plotted=False)],
        [[_("Social organizations"), part, percent(part, total)],
         [_("Other contractors"), total - part, percent(total - part, total)]],
        kind="pie",
        note=_("Contracts signed in the period. Guideline: at least %(share)s%% to social organizations (registered, "
               "not fiscally funded).") % {"share": guideline.quantize(Decimal("1"))},
        extra={"share": percent(part, total), "guideline": guideline, "meets": total and percent(part, total) >= guideline},
    )


def bids_per_tender(scope) -> Chart:
    qs = Tender.objects.filter(tender_end__gte=scope.start, tender_end__lt=scope.end, bids_at_close__isnull=False)
    qs = qs.filter(scope.department_q())
    counts = dict(qs.values("bids_at_close").annotate(n=Count("pk")).values_list("bids_at_close", "n"))
    top = 5
    rows = [[str(n), counts.get(n, 0)] for n in range(top)]
    rows.append([f"{top}+", sum(v for k, v in counts.items() if k >= top)])
    tenders = sum(counts.values())
    average = (Decimal(sum(k * v for k, v in counts.items())) / tenders).quantize(CENTS) if tenders else ZERO
    return Chart(
        "bids", "money", _("Tenders by number of valid bids"),
        [Column(_("Valid bids"), TEXT), Column(_("Tenders"))], rows,
        note=_("Tenders whose bidding deadline fell in the period; %(average)s valid bids per tender on average.")
        % {"average": average},
        extra={"average": average, "tenders": tenders},
    )


def savings(scope) -> Chart:
    rows = (_contracts(scope).values("tender__department__name")
            .annotate(ceiling=Sum("tender__amount"), awarded=Sum("amount")).order_by("tender__department__name"))
    return Chart(
        "savings", "money", _("Savings against the ceiling price"),
        [Column(_("Department"), TEXT), Column(_("Ceiling price"), MONEY), Column(_("Contract value"), MONEY),
         Column(_("Savings"), MONEY), Column(_("Savings rate"), PERCENT, plotted=False)],
        [[r["tender__department__name"], _money(r["ceiling"]), _money(r["awarded"]),
          _money(r["ceiling"]) - _money(r["awarded"]), percent(_money(r["ceiling"]) - _money(r["awarded"]), r["ceiling"])]
         for r in rows],
        note=_("Contracts signed in the period: the tender's ceiling price less the contract value."),
    )


def organization_bids(scope) -> Chart:
    rows = (Bid.objects.filter(organization_id__in=scope.organization_ids, replaced_by__isnull=True,
                               submitted_at__gte=scope.start, submitted_at__lt=scope.end)
            .aggregate(submitted=Count("pk"), withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False))))
    won = _contracts(scope).aggregate(n=Count("pk"), value=Sum("amount"))
    return Chart(
        "own_bids", "money", _("Bids and contracts"),
        [Column(_("Figure"), TEXT), Column(pgettext_lazy("dashboard", "Number"), INT), Column(_("Contract value"), MONEY, plotted=False)],
        [[_("Bids submitted"), rows["submitted"], None], [_("Bids withdrawn"), rows["withdrawn"], None],
         [_("Contracts signed"), won["n"], _money(won["value"])]],
    )


def snapshots(year) -> dict:
    return {}


def charts(scope, found) -> list[Chart]:
    if scope.is_organization:
        return [organization_bids(scope)]
    if scope.public:
        return [social_share(scope), savings(scope)]
    return [budgets(scope), social_share(scope), bids_per_tender(scope), savings(scope)]
