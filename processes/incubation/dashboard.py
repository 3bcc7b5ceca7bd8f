"""Incubation's figures on the dashboard (issue #14 "Volunteers and organizations"): per base,
the organizations in incubation now and those that graduated or exited in the period (I5, I6).
Read live on the base/status index: one row per application."""
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from engine.dashboard.charts import TEXT, Chart, Column

from .models import ADMITTED, IncubationApplication, Status


def bases(scope) -> Chart:
    period = Q(closed_at__gte=scope.start, closed_at__lt=scope.end)
    rows = (IncubationApplication.objects.filter(scope.department_q())
            .filter(Q(status__in=ADMITTED) | Q(status__in=[Status.GRADUATED, Status.EXITED]) & period)
            .values("department__name")
            .annotate(incubating=Count("pk", filter=Q(status__in=ADMITTED)),
                      graduated=Count("pk", filter=Q(status=Status.GRADUATED) & period),
                      exited=Count("pk", filter=Q(status=Status.EXITED) & period))
            .order_by("department__name"))
    return Chart(
        "incubation", "organizations", _("Organizations in incubation, graduated and exited, by base"),
        [Column(_("Incubation base"), TEXT), Column(_("In incubation")), Column(_("Graduated")), Column(_("Exited"))],
        [[r["department__name"], r["incubating"], r["graduated"], r["exited"]] for r in rows],
        kind="stack",
        note=_("In incubation: admitted and not yet finished, now. Graduated and exited: closed in the period."),
    )


def snapshots(year) -> dict:
    return {}


def charts(scope, found) -> list[Chart]:
    if scope.is_organization:
        return []
    return [bases(scope)]
