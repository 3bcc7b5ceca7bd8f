"""The 2025 goal dashboard (DOMAIN "The 2025 goal"; seed 一(三)).

Per district: registered volunteers against 15% of the resident population, active
organizations and approved hours; per department: queue load and overdue tasks; and
purchased-service spending against budget. Processes contribute their figures through
``AppConfig.dashboard_figures()``; the engine's own come from here.
"""
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.utils import timezone
from django.views.generic import TemplateView

from engine.cases.models import TaskRoute
from engine.directory.models import District, Organization
from engine.processes import hooks

TARGET_SHARE = Decimal(str(settings.VOLUNTEER_TARGET_SHARE))  # the 2025 goal (DOMAIN)


def process_figures() -> dict:
    """Merge what each process reports: volunteers and hours by district id, spending lines."""
    merged = {"volunteers_by_district": {}, "hours_by_district": {}, "spending": []}
    for figures in hooks("dashboard_figures"):
        for key, value in figures().items():
            if isinstance(merged.get(key), dict):
                merged[key].update(value)
            elif isinstance(merged.get(key), list):
                merged[key].extend(value)
    return merged


def district_rows(figures):
    orgs = dict(
        Organization.objects.filter(status=Organization.Status.ACTIVE)
        .values("district").annotate(n=Count("pk")).values_list("district", "n")
    )
    rows = []
    for district in District.objects.all():
        target = int(district.resident_population * TARGET_SHARE)
        volunteers = figures["volunteers_by_district"].get(district.pk, 0)
        rows.append({
            "district": district, "target": target, "volunteers": volunteers,
            "population_text": f"{district.resident_population:,}", "target_text": f"{target:,}",
            "volunteers_text": f"{volunteers:,}",
            "share": (volunteers / target * 100) if target else 0,
            "organizations": orgs.get(district.pk, 0),
            "hours": figures["hours_by_district"].get(district.pk, Decimal("0")),
        })
    return rows


def department_load():
    now = timezone.now()
    return (
        TaskRoute.objects.open().values("department__name", "department__code")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by("-overdue", "-open")[:30]
    )


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "ui/dashboard.html"

    def get_context_data(self, **kwargs):
        figures = process_figures()
        rows = district_rows(figures)
        load = list(department_load())
        top = max([r["open"] for r in load] or [1])
        volunteers, target = sum(r["volunteers"] for r in rows), sum(r["target"] for r in rows)
        return {
            **super().get_context_data(**kwargs),
            "rows": rows, "load": load, "load_max": top, "spending": figures["spending"],
            "target_share": int(TARGET_SHARE * 100),
            "totals": {
                "volunteers_text": f"{volunteers:,}", "target_text": f"{target:,}",
                "organizations": sum(r["organizations"] for r in rows),
                "hours": sum((r["hours"] for r in rows), Decimal("0")),
            },
        }
