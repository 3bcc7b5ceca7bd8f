"""Student practice credits (seed 五(一), 教育局): reads and the XLSX export.

Per school and term, each consenting student's approved current hours (R13) from activities
that started in the term. The education bureau sees every school; a school's coordinator only
its own (``engine.directory.rights.school_ids``); a student without consent is in no list. The
export's columns are ``XLSX_COLUMNS`` (documented in the README)."""
from decimal import Decimal
from io import BytesIO

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from engine.directory import rights
from engine.directory.models import Department

from .export import _safe
from .models import ServiceRecord, StudentProfile

SORTS = {
    "school": ("school__name", "student_number"), "student_number": ("student_number", "pk"),
    "-hours": ("-term_hours", "student_number", "pk"), "hours": ("term_hours", "student_number", "pk"),
    "grade": ("grade", "student_number", "pk"), "name": ("volunteer__real_name", "pk"),
}
SORT_LABELS = {
    "school": gettext_lazy("School, then student number"), "student_number": gettext_lazy("Student number"),
    "-hours": gettext_lazy("Most hours first"), "hours": gettext_lazy("Fewest hours first"),
    "grade": gettext_lazy("Grade and class"), "name": pgettext_lazy("certification", "Name"),
}

XLSX_COLUMNS = [
    gettext_lazy("School"), gettext_lazy("Term"), gettext_lazy("Student number"), pgettext_lazy("certification", "Name"),
    gettext_lazy("Grade and class"), gettext_lazy("Volunteer number"), gettext_lazy("Approved service hours in the term"),
    gettext_lazy("Approved service hours in total"), gettext_lazy("Consent given by"), gettext_lazy("Date of consent"),
]


def may_see_students(user) -> bool:
    return rights.sees_all_schools(user) or bool(rights.school_ids(user))


def schools_visible_to(user):
    """Schools whose students the user may see: all for the education bureau, else their own."""
    qs = Department.objects.filter(kind=Department.Kind.SCHOOL).order_by("name", "pk")
    if rights.sees_all_schools(user):
        return qs
    return qs.filter(pk__in=rights.school_ids(user))


def _hours(volunteer_ref, term=None):
    records = ServiceRecord.objects.counting().filter(volunteer=volunteer_ref)
    if term is not None:
        start, end = term.bounds()
        records = records.filter(activity__start_at__gte=start, activity__start_at__lt=end)
    total = records.order_by().values("volunteer").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(total, output_field=DecimalField(max_digits=12, decimal_places=2)),
                    Value(Decimal("0")), output_field=DecimalField(max_digits=12, decimal_places=2))


def student_credits(user, *, term, school=None, grade="", q="", with_hours=False, sort=""):
    """Consenting students of the schools the user sees, each annotated with ``term_hours``
    (approved hours of activities started in ``term``) and ``total_hours``; two subqueries in
    one statement, whatever the number of students."""
    qs = (StudentProfile.objects.filter(consent_at__isnull=False, school__in=schools_visible_to(user))
          .select_related("school", "volunteer")
          .annotate(term_hours=_hours(OuterRef("volunteer"), term), total_hours=_hours(OuterRef("volunteer"))))
    if school:
        qs = qs.filter(school_id=school)
    if grade:
        qs = qs.filter(grade__icontains=grade)
    if q:
        qs = qs.filter(Q(student_number__icontains=q) | Q(volunteer__real_name__icontains=q)
                       | Q(volunteer__volunteer_number__icontains=q))
    if with_hours:
        qs = qs.filter(term_hours__gt=0)
    return qs.order_by(*SORTS.get(sort, SORTS["school"]))


def student_credits_xlsx(rows, term) -> bytes:
    """The export, one row per consenting student, in ``XLSX_COLUMNS`` order."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Student service hours")
    ws.append([str(c) for c in XLSX_COLUMNS])
    for p in rows:
        ws.append([_safe(v) for v in (
            p.school.name, term.key, p.student_number, p.volunteer.real_name, p.grade, p.volunteer.volunteer_number,
            p.term_hours, p.total_hours, p.get_consent_by_display(), timezone.localtime(p.consent_at).strftime("%Y-%m-%d"),
        )])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
