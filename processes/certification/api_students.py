"""API v1 of student practice credits (seed 五(一)) and the national interchange files (seed
二(一), 二(五)): a school's coordinator lists only its own consenting students (another
school's student is a 404), the education bureau all schools'; a volunteer states their school
and consent; organizations' managers and 民政局 download the national system's files."""
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status

from engine.api.generic import ListView, ProcessView, valid, visible_or_404
from engine.cases.errors import NotAllowed, NotFound, RuleViolation
from engine.directory.models import Department

from . import national, students, terms
from .models import StudentProfile
from .services.students import student_consent_withdraw, student_profile_save


class SchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name"]


class StudentCreditSerializer(serializers.ModelSerializer):
    school = SchoolSerializer(read_only=True)
    real_name = serializers.CharField(source="volunteer.real_name", read_only=True)
    volunteer_number = serializers.CharField(source="volunteer.volunteer_number", read_only=True)
    term = serializers.SerializerMethodField()
    term_hours = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    total_hours = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = StudentProfile
        fields = ["id", "school", "student_number", "grade", "real_name", "volunteer_number", "term",
                  "term_hours", "total_hours", "consent_by", "consent_at"]

    def get_term(self, obj) -> str:
        return self.context["term"].key


class StudentProfileSerializer(serializers.ModelSerializer):
    school = SchoolSerializer(read_only=True)

    class Meta:
        model = StudentProfile
        fields = ["id", "school", "student_number", "grade", "consent_at", "consent_by", "consent_note"]


class StudentProfileInputSerializer(serializers.Serializer):
    school = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    student_number = serializers.CharField(max_length=32)
    grade = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(default=False)
    consent_by = serializers.ChoiceField(choices=StudentProfile.ConsentBy.choices, required=False, allow_blank=True, default="")
    consent_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


def _term(params):
    value = params.get("term", "")
    if not value:
        return terms.current_term()
    term = terms.parse_term(value)
    if term is None:
        raise RuleViolation(_("Unknown term."), fields={"term": [_("Give a term as year-1 or year-2, e.g. 2026-1.")]})
    return term


def _int(params, name):
    value = params.get(name, "")
    if value in ("", None):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 0 < number < 2**31:
        message = _("Choose a school from the list.") if name == "school" else _("Choose an organization from the list.")
        raise RuleViolation(message, fields={name: [message]})
    return number


TERM = OpenApiParameter("term", str, description=gettext_lazy("The term, e.g. 2026-1 or 2026-2 (default: the current term)"))


@extend_schema(parameters=[TERM, OpenApiParameter("school", int), OpenApiParameter("grade", str),
                           OpenApiParameter("q", str), OpenApiParameter("with_hours", bool),
                           OpenApiParameter("ordering", str, enum=list(students.SORTS))],
               responses=StudentCreditSerializer(many=True))
class StudentCreditList(ListView):
    """Consenting students of the schools the caller sees, with their approved hours in the term."""

    serializer_class = StudentCreditSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not students.may_see_students(request.user):
            raise NotAllowed(_("Only the education bureau and schools see students' hours.")).as_api_exception()
        self.term = _term(request.query_params)

    def serializer_context(self) -> dict:
        return {**super().serializer_context(), "term": self.term}

    def visible(self, user):
        return students.student_credits(user, term=self.term)

    def filter(self, queryset, params):
        return students.student_credits(
            self.request.user, term=self.term, school=_int(params, "school"), grade=params.get("grade", "").strip()[:32],
            q=params.get("q", "").strip()[:64], with_hours=params.get("with_hours") in ("1", "true", "True"),
            sort=params.get("ordering", ""))


class StudentCreditDetail(ProcessView):
    """One consenting student of a school the caller sees; any other is a 404."""

    serializer_class = StudentCreditSerializer

    @extend_schema(parameters=[TERM], responses=StudentCreditSerializer)
    def get(self, request, pk):
        if not students.may_see_students(request.user):
            raise NotAllowed(_("Only the education bureau and schools see students' hours.")).as_api_exception()
        self.term = _term(request.query_params)
        found = visible_or_404(students.student_credits(request.user, term=self.term), _("No such student."), pk=pk)
        return self.answer(found)

    def serializer_context(self) -> dict:
        return {**super().serializer_context(), "term": self.term}


class SchoolList(ListView):
    """Schools a student can name (any signed-in user)."""

    serializer_class = SchoolSerializer

    def visible(self, user):
        return Department.objects.filter(kind=Department.Kind.SCHOOL, is_active=True).order_by("name", "pk")


class MyStudentProfile(ProcessView):
    """The caller's own school details and consent (GET); POST states or changes them."""

    serializer_class = StudentProfileSerializer

    @extend_schema(responses=StudentProfileSerializer)
    def get(self, request):
        profile = StudentProfile.objects.filter(volunteer__user=request.user).select_related("school").first()
        if profile is None:
            raise NotFound(_("You have not stated a school."))
        return self.answer(profile)

    @extend_schema(request=StudentProfileInputSerializer, responses=StudentProfileSerializer)
    def post(self, request):
        profile = student_profile_save(actor=request.user, **valid(StudentProfileInputSerializer, request))
        return self.answer(profile)


class MyStudentConsentWithdraw(ProcessView):
    """Withdraw the consent: from now on no school sees the caller's hours."""

    serializer_class = StudentProfileSerializer

    @extend_schema(request=None, responses=StudentProfileSerializer)
    def post(self, request):
        return self.answer(student_consent_withdraw(actor=request.user))


class NationalExport(ProcessView):
    """The national system's interchange file (CSV, UTF-8): ``volunteers`` or ``records``."""

    @extend_schema(parameters=[OpenApiParameter("organization", int)], responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, kind):
        if kind not in ("volunteers", "records"):
            raise NotFound().as_api_exception()
        org = _int(request.query_params, "organization")
        maker = national.volunteers_csv if kind == "volunteers" else national.records_csv
        try:
            data = maker(request.user, org)
        except NotAllowed as exc:
            raise exc.as_api_exception() from None
        response = HttpResponse(data, content_type="text/csv; charset=utf-8", status=status.HTTP_200_OK)
        response["Content-Disposition"] = f'attachment; filename="national-{kind}.csv"'
        return response

