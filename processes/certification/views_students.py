"""Pages of student practice credits (seed 五(一)) and of the national interchange (seed
二(一), 二(五)): the students' hours per school and term with filters, sorting and the XLSX
export (the education bureau and schools' coordinators), the national files' downloads
(organizations' managers and 民政局), and the volunteer's own school form in the portal."""
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engine.cases.errors import DomainError
from engine.directory import rights
from engine.directory.models import Department
from engine.ui.pages import act, portal_url

from . import national, selectors, students, terms
from .models import StudentProfile
from .services.students import student_consent_withdraw, student_profile_save

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request):
    params = request.GET
    term = terms.parse_term(params.get("term", "")) or terms.current_term()
    try:
        school = int(params.get("school") or 0) or None
    except ValueError:
        school = None
    if school is not None and not 0 < school < 2**31:
        school = None
    return {"term": term, "school": school, "grade": params.get("grade", "").strip()[:32],
            "q": params.get("q", "").strip()[:64], "with_hours": params.get("with_hours") == "1",
            "sort": params.get("sort", "") if params.get("sort", "") in students.SORTS else ""}


@login_required
def student_credits_page(request):
    """Consenting students' approved hours per school and term (seed 五(一))."""
    if not students.may_see_students(request.user):
        raise PermissionDenied
    f = _filters(request)
    rows = students.student_credits(request.user, **f)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(students.student_credits_xlsx(rows, f["term"]), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="student-hours-{f["term"].key}.xlsx"'
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("term", f["term"].key), ("school", f["school"] or ""), ("grade", f["grade"]),
                               ("q", f["q"]), ("with_hours", "1" if f["with_hours"] else ""), ("sort", f["sort"])) if v}
    return render(request, "certification/students.html", {
        **f, "page_obj": page, "schools": list(students.schools_visible_to(request.user)),
        "terms": terms.recent_terms(), "sorts": students.SORT_LABELS, "filters": urlencode(query),
        "export_query": urlencode({**query, "format": "xlsx"}),
    })


@login_required
def national_page(request):
    """The national system's files: download for upload, and how to import its volunteers."""
    orgs = list(national.export_organizations(request.user)[:200])
    if not orgs:
        raise PermissionDenied
    return render(request, "certification/national.html", {
        "organizations": orgs, "volunteer_columns": national.VOLUNTEER_COLUMNS, "record_columns": national.RECORD_COLUMNS})


@login_required
def national_download(request, kind):
    try:
        org = int(request.GET.get("organization") or 0) or None
    except ValueError:
        org = None
    maker = {"volunteers": national.volunteers_csv, "records": national.records_csv}.get(kind)
    if maker is None or (org is not None and not 0 < org < 2**31):
        raise PermissionDenied
    try:
        data = maker(request.user, org)
    except DomainError:
        raise PermissionDenied from None
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="national-{kind}.csv"'
    return response


@login_required
@require_POST
def portal_student(request):
    """The volunteer states their school and gives or withdraws the consent (portal form)."""
    if request.POST.get("action") == "withdraw":
        return act(request, lambda: student_consent_withdraw(actor=request.user),
                   _("Your consent is withdrawn: no school sees your hours any more."), back=portal_url("certification"))
    consent = request.POST.get("consent") == "1"

    def done(profile):
        if profile.consents:
            return _("Your school details are saved: %(school)s sees your approved hours.") % {"school": profile.school.name}
        return _("Your school details are saved; without your consent the school does not see your hours.")

    return act(request, lambda: student_profile_save(
        actor=request.user, school=request.POST.get("school"), student_number=request.POST.get("student_number", ""),
        grade=request.POST.get("grade", ""), consent=consent, consent_by=request.POST.get("consent_by", "") if consent else "",
        consent_note=request.POST.get("consent_note", "")), done, back=portal_url("certification"))


_UNKNOWN = object()


def portal_cards(request, *, volunteer=_UNKNOWN, org_ids=None) -> str:
    """The portal's school and national-file cards, for whoever has one (else nothing).
    The certification card hands over the volunteer and the organizations it already read, so
    the cards do not read them again; someone in no organization manages none (no query)."""
    user = request.user
    if volunteer is _UNKNOWN:
        volunteer = selectors.volunteer_for(user)
    if org_ids is None:
        org_ids = rights.organization_ids(user)
    ctx = {"sees_students": students.may_see_students(user), "volunteer": volunteer,
           "exports_national": bool(org_ids) and bool(rights.organization_ids(user, managers_only=True))}
    if volunteer is not None:
        ctx["student_profile"] = StudentProfile.objects.filter(volunteer=volunteer).select_related("school").first()
        ctx["consent_by_choices"] = StudentProfile.ConsentBy.choices
        ctx["schools"] = list(Department.objects.filter(kind=Department.Kind.SCHOOL, is_active=True).order_by("name"))
    if not (ctx["sees_students"] or volunteer is not None or ctx["exports_national"]):
        return ""
    return render_to_string("certification/portal_students.html", ctx, request=request)
