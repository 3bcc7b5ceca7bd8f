"""Pages of the certification process outside the portal: the public verification page
(R10, no login), the certificate PDF, the register export (R8), and the staff workbench
application (the register). The portal pages are in ``portal.py``."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from engine.api.client import ClientAddressThrottle
from engine.cases.bulk import summary as bulk_summary
from engine.cases.errors import DomainError
from engine.cases.registry import staff_references
from engine.directory import rights
from engine.directory.models import Department
from engine.ui.pages import WorkbenchApplication, act

from . import selectors
from .documents import attach_backfill_evidence
from .export import register_xlsx
from .models import AuthenticityReport
from .national import export_organizations
from .pdf import certificate_pdf
from .services.certificates import certificate_verify
from .services.registry import record_approve, record_deny, records_approve
from .services.reports import report_file
from .students import may_see_students
from .views_commendations import CommendationListView


class _PublicScope:
    throttle_scope = "public_verify"


def _throttled(request) -> bool:
    """The page shares the API's "public_verify" rate (R10: rate-limited)."""
    return not ClientAddressThrottle().allow_request(request, _PublicScope())


def verify_page(request):
    """Anyone checks a certificate by number and code, or by its QR link (R10)."""
    number, code = request.GET.get("number", ""), request.GET.get("code", "")
    result, report = None, None
    if request.method == "POST" or number or code:
        if _throttled(request):
            return render(request, "certification/verify.html", {"throttled": True}, status=429)
    if request.method == "POST":
        try:
            report = report_file(
                number=request.POST.get("number", ""), code=request.POST.get("code", ""),
                reporter_name=request.POST.get("reporter_name", ""),
                reporter_contact=request.POST.get("reporter_contact", ""),
                description=request.POST.get("description", ""),
                actor=request.user if request.user.is_authenticated else None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        number, code = request.POST.get("number", ""), request.POST.get("code", "")
    if number or code:
        result = certificate_verify(number=number, code=code)
    return render(request, "certification/verify.html",
                  {"result": result, "number": number, "code": code, "report": report})


def _certificate_for(user, number):
    """The PDF carries the verification code and its QR link (R10): only the volunteer and the
    issuing or recording organization get it; supervising staff read the register."""
    cert = selectors.certificates_visible_to(user).filter(number=number).first()
    if cert is None or not selectors.may_see_verification_code(user, cert):
        raise Http404(_("No such certificate."))
    return cert


@login_required
def certificate_pdf_view(request, number):
    cert = _certificate_for(request.user, number)
    pdf = certificate_pdf(cert, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{cert.number}.pdf"'
    return response


@login_required
def register_export(request):
    """R8 register as XLSX: departments see all, organizations their own certificates."""
    user = request.user
    if not (user.is_superuser or rights.department_ids(user) or rights.organization_ids(user)):
        raise PermissionDenied
    certs = selectors.certificates_visible_to(user).order_by("number")
    response = HttpResponse(
        register_xlsx(certs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="certificate-register.xlsx"'
    return response


# --- staff workbench --------------------------------------------------------------------

class RegisterView(LoginRequiredMixin, TemplateView):
    """The certificate register (R8) for department staff, newest first."""

    template_name = "certification/register.html"

    def get_context_data(self, **kwargs):
        qs = selectors.certificates_visible_to(self.request.user).order_by("-issued_at", "-pk")
        number = self.request.GET.get("number", "").strip()
        if number:
            qs = qs.filter(number__icontains=number)
        page = Paginator(qs, 20).get_page(self.request.GET.get("page"))
        user = self.request.user
        return {**super().get_context_data(**kwargs), "number": number, "page_obj": page,
                # a request is linked only where its case page opens for the reader
                "open_requests": staff_references(user, [c.request for c in page]),
                "can_export": bool(user.is_superuser or rights.department_ids(user) or rights.organization_ids(user)),
                "sees_students": may_see_students(user), "exports_national": export_organizations(user).exists()}


class DisputeListView(LoginRequiredMixin, TemplateView):
    """Disputes the user's departments supervise, and for 民政局 the authenticity cases."""

    template_name = "certification/disputes.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        mca = set(Department.objects.filter(kind=Department.Kind.MCA, level=Department.Level.CITY)
                  .values_list("pk", flat=True))
        reports = None
        if user.is_superuser or rights.department_ids(user) & mca:
            reports = AuthenticityReport.objects.order_by("-created_at")[:50]
        return {**super().get_context_data(**kwargs), "reports": reports,
                "disputes": selectors.disputes_visible_to(user).order_by("-created_at")[:50],
                # a dispute's case page is its department's (engine.cases.registry.case_access)
                "all_cases": user.is_superuser, "case_departments": rights.department_ids(user)}


class BackfillListView(LoginRequiredMixin, TemplateView):
    """Back-fills of single-manager organizations the department supervises wait here for
    its approval (R12); approve or deny (with a reason) through the services."""

    template_name = "certification/backfills.html"

    def get_context_data(self, **kwargs):
        records = list(selectors.backfills_for_department(self.request.user)[:100])
        attach_backfill_evidence(records)  # the department decides seeing the evidence (R12)
        return {**super().get_context_data(**kwargs), "records": records}

    def post(self, request, *args, **kwargs):
        if request.POST.get("decision") == "approve_chosen":
            return self.approve_chosen(request)
        try:
            record_id = int(request.POST.get("record") or 0)
        except ValueError:
            record_id = 0
        if request.POST.get("decision") == "approve":
            return act(request, lambda: record_approve(actor=request.user, record_id=record_id),
                       _("The back-filled record is approved."), back="certificates:backfills")
        return act(request, lambda: record_deny(actor=request.user, record_id=record_id,
                                                reason=request.POST.get("reason", "")),
                   _("The back-filled record is denied."), back="certificates:backfills")


    def approve_chosen(self, request):
        """Approve the records ticked on the page, each checked and reported separately."""
        try:
            outcomes = records_approve(actor=request.user, record_ids=request.POST.getlist("records"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("certificates:backfills")
        return render(request, "ui/bulk_result.html", {
            "outcomes": outcomes, "summary": bulk_summary(outcomes), "title": _("Approve"),
            "back": reverse("certificates:backfills")})


class WorkbenchApp(WorkbenchApplication):
    """Records and certificates: the register of certificates, disputes and authenticity cases;
    tasks are worked in the task list."""

    title = _("Records and certificates")
    icon = "verified"
    app_name = "certificates"
    menu_links = (
        ("certificates:index", "verified", _("Certificate register")), ("certificates:disputes", "gavel", _("Disputes and authenticity checks")),
        ("certificates:backfills", "fact_check", _("Back-filled records to review")),
        ("certificates:commendations", "military_tech", _("Commendations by departments")), ("certification:verify", "qr_code_scanner", _("Public verification page")),
    )

    index_path = path("", RegisterView.as_view(), name="index")
    disputes_path = path("disputes/", DisputeListView.as_view(), name="disputes")
    backfills_path = path("backfills/", BackfillListView.as_view(), name="backfills")
    commendations_path = path("commendations/", CommendationListView.as_view(), name="commendations")
