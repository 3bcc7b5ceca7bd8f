"""The dashboard's pages (issue #14): the staff dashboard in the workbench, its XLSX export and
monthly PDF report, the public page of the city's aggregates, an organization's own figures,
and the flow diagrams with their BPMN export."""
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import TemplateView

from engine.directory import rights
from engine.directory.models import Department, District

from . import export, flows, pdf, report
from .scope import NotAllowed, for_organizations, from_query, viewer_limits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def staff_scope(request):
    """The scope of the staff dashboard for this request; 403 for anyone without a department
    role or the city leader's role."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    try:
        limits = viewer_limits(request.user)
    except NotAllowed:
        raise PermissionDenied(_("The dashboard is for department staff and city leaders.")) from None
    return from_query(request.GET, **limits)


def period_label(scope) -> str:
    if scope.month:
        return _("%(year)s-%(month)02d") % {"year": scope.year, "month": scope.month}
    return _("Year %(year)s") % {"year": scope.year}


def filter_choices(scope) -> dict:
    """The districts and departments the viewer may filter on (two queries)."""
    districts = District.objects.order_by("sort_order", "code")
    if scope.district_ids is not None:
        districts = districts.filter(pk__in=scope.district_ids)
    departments = Department.objects.filter(is_active=True).order_by("level", "code")
    if scope.department_ids is not None:
        departments = departments.filter(pk__in=scope.department_ids)
    this_year = timezone.localdate().year
    return {"years": list(range(this_year, this_year - 6, -1)), "months": list(range(1, 13)),
            "districts": list(districts.values("pk", "name")), "departments": list(departments.values("pk", "name"))}


def query_of(scope, **extra) -> str:
    params = {"year": scope.year, "month": scope.month or "", "district": scope.district_id or "",
              "department": scope.department_id or "", **extra}
    return urlencode({k: v for k, v in params.items() if v not in ("", None)})


class ChartsPage(TemplateView):
    """What the three dashboard pages share: the charts of a scope, grouped by section."""

    def scope(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        scope = self.scope()
        charts = report.build(scope)
        return {**super().get_context_data(**kwargs), "scope": scope, "charts": charts,
                "chart_data": [c.echarts() for c in charts], "period": period_label(scope),
                "as_of": report.as_of(charts), "choices": filter_choices(scope), "query": query_of(scope),
                "city": next((c for c in charts if c.key == "goal_city"), None)}


class StaffDashboardView(LoginRequiredMixin, ChartsPage):
    template_name = "dashboard/staff.html"

    def scope(self):
        return staff_scope(self.request)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        scope = ctx["scope"]
        ctx["may_city_report"] = scope.is_citywide
        ctx["report_month_query"] = query_of(scope, month=scope.month or timezone.localdate().month)
        user = self.request.user
        if user.is_staff and user.has_perm("dashboard.change_districtpopulation"):
            ctx["population_admin_url"] = reverse("admin:dashboard_districtpopulation_changelist")
        return ctx


class PublicDashboardView(ChartsPage):
    """The city's aggregate figures for anyone, signed in or not: counts and sums only, no
    names of people (D6)."""

    template_name = "dashboard/public.html"

    def scope(self):
        return from_query({"year": self.request.GET.get("year"), "month": self.request.GET.get("month")}, public=True)


class OrganizationDashboardView(LoginRequiredMixin, ChartsPage):
    """An organization's own figures, opened from the portal; 403 for anyone who acts for none."""

    template_name = "dashboard/organization.html"

    def scope(self):
        organizations = rights.organization_ids(self.request.user)
        if not organizations:
            raise PermissionDenied(_("Only members of an organization see its figures."))
        return for_organizations(from_query(self.request.GET), organizations)


class ExportView(LoginRequiredMixin, View):
    """Every chart's data of the staff dashboard as XLSX, or one chart's with ``chart=key``."""

    def get(self, request):
        scope = staff_scope(request)
        charts = report.build(scope)
        key = request.GET.get("chart")
        if key:
            charts = [c for c in charts if c.key == key]
            if not charts:
                raise Http404(_("No such chart."))
        response = HttpResponse(export.workbook(charts, period_label(scope)), content_type=XLSX)
        name = f"dashboard-{key or 'all'}-{scope.year}{f'-{scope.month:02d}' if scope.month else ''}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ReportView(LoginRequiredMixin, View):
    """The monthly report as PDF: ``audience=city`` (city leaders and administrators only) or
    the viewer's departments; the month is ``month`` or the current one."""

    def get(self, request):
        scope = staff_scope(request)
        if not scope.month:
            raise Http404(_("The monthly report needs a month."))
        city = request.GET.get("audience") == "city"
        if city and not scope.is_citywide:
            raise PermissionDenied(_("The city report is for city leaders."))
        if city:
            audience = _("Whole city")
        else:
            names = [d["name"] for d in filter_choices(scope)["departments"]
                     if scope.departments() is None or d["pk"] in scope.departments()]
            listed = pgettext("list separator", ", ").join(names[:4]) + ("…" if len(names) > 4 else "")
            audience = listed if scope.department_ids else _("Whole city")
        charts = report.build(scope)
        body = pdf.report_pdf(charts, title=_("Volunteer service monthly report"), period=period_label(scope),
                              audience=audience, generated_at=timezone.now())
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="report-{scope.year}-{scope.month:02d}.pdf"'
        return response


def _flow(key):
    flow_class = flows.flows().get(key)
    if flow_class is None:
        raise Http404(_("No such flow."))
    return flow_class


class FlowListView(LoginRequiredMixin, TemplateView):
    """Each flow's diagram, legible at full width, with its BPMN 2.0 download."""

    template_name = "dashboard/flows.html"

    def get_context_data(self, **kwargs):
        staff_scope(self.request)
        items = [{"key": key, "title": flows.title(flow_class), "svg_url": reverse("dashboard:flow_svg", args=[key]),
                  "bpmn_url": reverse("dashboard:flow_bpmn", args=[key])} for key, flow_class in flows.flows().items()]
        return {**super().get_context_data(**kwargs), "flows": items}


class FlowSvgView(LoginRequiredMixin, View):
    def get(self, request, key):
        staff_scope(request)
        return HttpResponse(flows.svg(_flow(key)), content_type="image/svg+xml")


class FlowBpmnView(LoginRequiredMixin, View):
    def get(self, request, key):
        staff_scope(request)
        response = HttpResponse(flows.bpmn(_flow(key)), content_type="application/xml")
        response["Content-Disposition"] = f'attachment; filename="{key}.bpmn"'
        return response
