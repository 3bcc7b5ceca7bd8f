"""Pages of the certification process: the public verification page (R10, no login), the
certificate PDF, the register export (R8), the portal section where volunteers see their
records, stars, certificates and disputes (R5) and organizations work their tasks, and the
staff workbench application (the register)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from rest_framework.throttling import ScopedRateThrottle
from viewflow.urls import Application

from engine.cases.actions import task_complete
from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.directory.models import Organization

from . import selectors
from .export import register_xlsx
from .models import Activity, Certificate, ServiceRecord, Volunteer
from .pdf import certificate_pdf, verification_url


class _PublicScope:
    throttle_scope = "public_verify"


def _throttled(request) -> bool:
    """The page shares the API's "public_verify" rate (R10: rate-limited)."""
    return not ScopedRateThrottle().allow_request(request, _PublicScope())


def verify_page(request):
    """Anyone checks a certificate by number and code, or by its QR link (R10)."""
    from .services.certificates import certificate_verify
    from .services.reports import report_file

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
    cert = selectors.certificates_visible_to(user).filter(number=number).first()
    if cert is None:
        raise Http404("证明不存在。")
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


# --- portal -----------------------------------------------------------------------------

def portal_section(request):
    """The portal card: a volunteer's own record (R5) and an organization's tasks."""
    user = request.user
    volunteer = selectors.volunteer_for(user)
    org_ids = rights.organization_ids(user)
    ctx = {"request": request, "user": user}
    from django.middleware.csrf import get_token

    ctx["csrf_token"] = get_token(request)
    if volunteer is None and not org_ids:
        if user.is_superuser or rights.is_staff_of_any(user):
            return ""
        return render_to_string("certification/portal_register.html", ctx, request=request)
    if volunteer is not None:
        overview = selectors.volunteer_overview(volunteer)
        ctx.update(overview)
        ctx["request_organizations"] = Organization.objects.filter(
            pk__in=ServiceRecord.objects.counting().filter(volunteer=volunteer)
            .values("activity__organization")).order_by("name")
        ctx["verify_links"] = {c.number: verification_url(c, request.build_absolute_uri("/"))
                               for c in overview["certificates"]}
    if org_ids:
        ctx["org_tasks"] = list(
            TaskRoute.objects.filter(process_name="certification", owner=user, state=TaskRoute.State.CLAIMED)
            .order_by("due_at"))
        _describe_tasks(ctx["org_tasks"])
        ctx["org_pending_records"] = list(
            ServiceRecord.objects.current().filter(activity__organization_id__in=org_ids, status="pending")
            .select_related("volunteer", "activity")[:50])
        ctx["org_organizations"] = list(Organization.objects.filter(pk__in=org_ids, status="active").order_by("name"))
        ctx["org_activities"] = list(Activity.objects.filter(organization_id__in=org_ids)
                                     .select_related("organization").order_by("-start_at")[:30])
        ctx["categories"] = Activity.Category.choices
        ctx["org_certificates"] = list(
            Certificate.objects.filter(request__organization_id__in=org_ids).select_related("superseded_by")[:20])
    return render_to_string("certification/portal_section.html", ctx, request=request)


def _describe_tasks(routes):
    """What the organization needs to decide: the claim of a dispute, the records asked for."""
    from .models import CertificateRequest, Dispute

    refs = [r.reference for r in routes]
    disputes = {d.reference: d for d in Dispute.objects.filter(reference__in=refs).select_related("record__activity")}
    requests = {q.reference: q for q in CertificateRequest.objects.filter(reference__in=refs)
                .select_related("volunteer").prefetch_related("records")}
    for route in routes:
        if route.reference in disputes:
            d = disputes[route.reference]
            target = f"记录：{d.record.activity.name} {d.record.hours} 小时" if d.record_id else "证明"
            claimed = f"；主张 {d.claimed_hours} 小时" if d.claimed_hours is not None else ""
            route.detail = f"{target}；异议：{d.claim}{claimed}"
        elif route.reference in requests:
            q = requests[route.reference]
            hours = sum(r.hours for r in q.records.all())
            route.detail = (f"{q.volunteer.real_name}（{q.volunteer.masked_id}）申请 {len(q.records.all())} 条记录，"
                            f"共 {hours} 小时" + ("；需盖章" if q.seal_requested else "") + (f"；用途：{q.purpose}" if q.purpose else ""))


def _back(request, exc=None, ok=None):
    if exc is not None:
        messages.error(request, exc.message)
    elif ok:
        messages.success(request, ok)
    return redirect("portal:index")


@login_required
@require_POST
def portal_register(request):
    """A person registers themself as a volunteer (real name, validated ID number)."""
    from .services.registry import volunteer_register

    if not request.POST.get("consent"):
        return _back(request, DomainError("请确认同意记录本人志愿服务信息。"))
    try:
        v = volunteer_register(actor=request.user, user=request.user, real_name=request.POST.get("real_name", ""),
                               id_number=request.POST.get("id_number", ""), phone=request.POST.get("phone", ""))
    except DomainError as exc:
        if getattr(exc, "fields", None):
            exc.message = "；".join(str(m) for msgs in exc.fields.values() for m in msgs)
        return _back(request, exc)
    return _back(request, ok=f"登记成功，志愿者编号 {v.volunteer_number}。")


@login_required
@require_POST
def portal_request(request):
    from .services.requests import request_create

    volunteer = selectors.volunteer_for(request.user)
    org = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
    if volunteer is None or org is None:
        return _back(request, DomainError("请选择记录单位。"))
    try:
        case = request_create(actor=request.user, volunteer=volunteer, organization=org,
                              purpose=request.POST.get("purpose", ""),
                              seal_requested=bool(request.POST.get("seal_requested")),
                              include_training=bool(request.POST.get("include_training")))
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=f"证明申请 {case.reference} 已提交，由{case.handling_organization or case.department}办理。")


@login_required
@require_POST
def portal_dispute(request):
    from .services.disputes import dispute_file

    volunteer = selectors.volunteer_for(request.user)
    if volunteer is None:
        raise PermissionDenied
    record = ServiceRecord.objects.filter(pk=request.POST.get("record") or 0, volunteer=volunteer).first()
    cert = Certificate.objects.filter(number=request.POST.get("certificate") or "", volunteer=volunteer).first()
    try:
        case = dispute_file(actor=request.user, record=record, certificate=cert,
                            claim=request.POST.get("claim", ""), claimed_hours=request.POST.get("claimed_hours") or None)
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=f"异议 {case.reference} 已提交。")


@login_required
@require_POST
def portal_appeal(request, reference):
    from .services.disputes import dispute_appeal

    try:
        dispute_appeal(actor=request.user, reference=reference, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok=f"异议 {reference} 已申诉至主管部门。")


@login_required
@require_POST
def portal_decide(request, task_id):
    """An organization's manager works a task handed to it (verify, seal, dispute review)."""
    hours = request.POST.get("hours")
    if not TaskRoute.objects.filter(pk=task_id, process_name="certification").exists():
        raise Http404("待办不存在。")
    try:
        task_complete(actor=request.user, task_id=task_id, decision=request.POST.get("decision", ""),
                      reason=request.POST.get("reason", ""), data={"hours": hours} if hours else {})
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok="已办理。")


def _local_datetime(value):
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    moment = parse_datetime(value or "")
    if moment is None:
        raise DomainError("请填写有效的开始和结束时间。")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_POST
def portal_activity(request):
    """The organization registers an activity it runs (R1, R2)."""
    from .services.registry import activity_create

    org = Organization.objects.filter(pk=request.POST.get("organization") or 0).first()
    try:
        if org is None:
            raise DomainError("请选择组织。")
        activity = activity_create(
            actor=request.user, organization=org, name=request.POST.get("name", ""),
            place=request.POST.get("place", ""), start_at=_local_datetime(request.POST.get("start_at")),
            end_at=_local_datetime(request.POST.get("end_at")), category=request.POST.get("category") or "service",
            person_in_charge=request.POST.get("person_in_charge", ""), content=request.POST.get("content", ""))
    except DomainError as exc:
        if getattr(exc, "fields", None):
            exc.message = "；".join(str(m) for msgs in exc.fields.values() for m in msgs)
        return _back(request, exc)
    return _back(request, ok=f"活动“{activity.name}”已登记，编号 {activity.pk}。")


@login_required
@require_POST
def portal_record_enter(request):
    """The organization enters a volunteer's hours at one of its activities (R1, R3, R12)."""
    from .services.registry import record_enter

    key = (request.POST.get("volunteer") or "").strip().upper()
    volunteer = Volunteer.objects.filter(volunteer_number=key).first() or Volunteer.objects.filter(id_number=key).first()
    activity = Activity.objects.filter(pk=request.POST.get("activity") or 0).first()
    try:
        if volunteer is None or activity is None:
            raise DomainError("找不到该志愿者（编号或身份证号）或活动。")
        record = record_enter(actor=request.user, volunteer=volunteer, activity=activity,
                              hours=request.POST.get("hours"), source=request.POST.get("source") or "signin")
    except DomainError as exc:
        if getattr(exc, "fields", None):
            exc.message = "；".join(str(m) for msgs in exc.fields.values() for m in msgs)
        return _back(request, exc)
    late = "（逾期录入）" if record.late else ""
    return _back(request, ok=f"已录入 {volunteer.real_name} {record.hours} 小时{late}。")


@login_required
@require_POST
def portal_record(request, record_id, action):
    from .services.registry import record_approve, record_deny

    try:
        if action == "approve":
            record_approve(actor=request.user, record_id=record_id)
        else:
            record_deny(actor=request.user, record_id=record_id, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        return _back(request, exc)
    return _back(request, ok="记录已审核。")


# --- staff workbench --------------------------------------------------------------------

class RegisterView(LoginRequiredMixin, TemplateView):
    """The certificate register (R8) for department staff, newest first."""

    template_name = "certification/register.html"

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        qs = selectors.certificates_visible_to(self.request.user).order_by("-issued_at", "-pk")
        number = self.request.GET.get("number", "").strip()
        if number:
            qs = qs.filter(number__icontains=number)
        return {**super().get_context_data(**kwargs), "number": number,
                "page_obj": Paginator(qs, 20).get_page(self.request.GET.get("page"))}


class WorkbenchApp(Application):
    """记录与证明: the register of certificates; tasks are worked in 待办."""

    title = "记录与证明"
    icon = "verified"
    app_name = "certificates"

    index_path = path("", RegisterView.as_view(), name="index")
