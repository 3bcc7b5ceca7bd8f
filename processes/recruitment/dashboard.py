"""Figures of the recruitment process on the dashboard: places offered and volunteers selected
per month, on the organization's own page."""
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from engine.dashboard.charts import INT, TEXT, Chart, Column
from engine.formatting import SHANGHAI

from .models import SignUp, Slot


def snapshots(year) -> dict:
    return {}  # live figures only: a few rows per month


def _in_scope(qs, scope, prefix):
    return qs.filter(**{f"{prefix}recruitment__activity__organization_id__in": scope.organization_ids})


def places(scope) -> Chart:
    slots = (_in_scope(Slot.objects.filter(start_at__gte=scope.start, start_at__lt=scope.end), scope, "")
             .annotate(month=TruncMonth("start_at", tzinfo=SHANGHAI)).values("month")
             .annotate(places=Sum("places")))
    offered = {r["month"].astimezone(SHANGHAI).strftime("%Y-%m"): r["places"] for r in slots}
    chosen = (_in_scope(SignUp.objects.filter(slot__start_at__gte=scope.start, slot__start_at__lt=scope.end), scope,
                        "slot__")
              .annotate(month=TruncMonth("slot__start_at", tzinfo=SHANGHAI)).values("month")
              .annotate(selected=Count("pk", filter=Q(status=SignUp.Status.SELECTED))))
    selected = {r["month"].astimezone(SHANGHAI).strftime("%Y-%m"): r["selected"] for r in chosen}
    months = [m.strftime("%Y-%m") for m in scope.months()]
    return Chart("recruitment_places", "volunteers", _("Recruitment: places offered and volunteers selected"),
                 [Column(_("Month"), TEXT), Column(_("Places"), INT), Column(_("Selected"), INT)],
                 [[m, offered.get(m, 0), selected.get(m, 0)] for m in months], kind="bar")


def charts(scope, found) -> list[Chart]:
    """The organization's own page only (departments' figures come with the record data)."""
    return [places(scope)] if scope.is_organization else []
