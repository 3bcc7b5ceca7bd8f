"""API v1 of protection (seed 二(三), PR1/PR2) and commendation (二(四), CM1/CM2): an activity's
roster, risk, cover check and start; accident insurance policies; departments' commendations."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from engine.api.generic import ListView, ProcessView, valid, visible_or_404
from engine.cases.errors import NotFound
from engine.directory import rights
from engine.directory.models import Department, Organization

from . import serializers as s
from .api import _IdentityThrottled
from .models import Activity, ActivityParticipant, Commendation, InsurancePolicy, Volunteer
from .selectors import commendations_visible_to
from .services import protection
from .services.commendations import commendation_create, commendation_revoke


def _own_activity(user, pk) -> Activity:
    """An activity of an organization the caller acts for; any other is "not found"."""
    return visible_or_404(Activity.objects.filter(organization_id__in=rights.organization_ids(user))
                          .select_related("organization"), _("No such activity."), pk=pk)


class ParticipantSerializer(serializers.ModelSerializer):
    volunteer_number = serializers.CharField(source="volunteer.volunteer_number", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.real_name", read_only=True)

    class Meta:
        model = ActivityParticipant
        fields = ["id", "activity", "volunteer", "volunteer_number", "volunteer_name", "added_at"]
        read_only_fields = fields


class ParticipantAddSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(min_value=1)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                      help_text=gettext_lazy("The volunteer's ID number, when your organization does not know the volunteer yet"))


class RiskSerializer(serializers.Serializer):
    dangerous = serializers.BooleanField()


class UncoveredSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(source="pk")
    volunteer_number = serializers.CharField()
    volunteer_name = serializers.CharField(source="real_name")


class CoverSerializer(serializers.Serializer):
    dangerous = serializers.BooleanField()
    covered = serializers.BooleanField()
    uncovered = UncoveredSerializer(many=True)


class PolicySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    insured = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = InsurancePolicy
        fields = ["id", "reference", "organization", "organization_name", "insurer", "policy_number", "starts_on",
                  "ends_on", "insured", "recorded_at"]
        read_only_fields = fields


class PolicyCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1)
    insurer = serializers.CharField(max_length=128)
    policy_number = serializers.CharField(max_length=64)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    volunteers = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)
    files = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=10,
                                  help_text=gettext_lazy("The policy document"))


class CommendationSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    subject = serializers.CharField(source="subject_name", read_only=True)

    class Meta:
        model = Commendation
        fields = ["id", "department", "department_name", "volunteer", "organization", "subject", "title", "reason",
                  "document_number", "commended_on", "issued_at", "revoked_at", "revoke_reason"]
        read_only_fields = fields


class CommendationCreateSerializer(serializers.Serializer):
    department = serializers.IntegerField(min_value=1)
    volunteer = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    organization = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    title = serializers.CharField(max_length=128)
    reason = serializers.CharField(max_length=2000)
    document_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    commended_on = serializers.DateField()


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ActivityParticipants(_IdentityThrottled, ListView):
    """The activity's roster (its organization's members only). POST puts a volunteer on it
    (throttled like every write that takes an ID number)."""

    serializer_class = ParticipantSerializer

    def visible(self, user):
        activity = _own_activity(user, self.kwargs["pk"])
        return ActivityParticipant.objects.filter(activity=activity).select_related("volunteer").order_by(
            "volunteer__volunteer_number")

    @extend_schema(request=ParticipantAddSerializer, responses={201: ParticipantSerializer})
    def post(self, request, pk):
        data = valid(ParticipantAddSerializer, request)
        activity = _own_activity(request.user, pk)
        volunteer = Volunteer.objects.filter(pk=data["volunteer"]).first()
        if volunteer is None:
            raise NotFound(_("Volunteer not found."))
        participant = protection.participant_add(actor=request.user, activity=activity, volunteer=volunteer,
                                                 id_number=data.get("id_number", ""))
        return self.answer(participant, status=status.HTTP_201_CREATED)


class ActivityParticipantRemove(ProcessView):
    """Take a volunteer off the roster before the activity starts."""

    @extend_schema(request=None, responses={204: None}, operation_id="certification_activity_participant_remove")
    def post(self, request, pk, volunteer):
        activity = _own_activity(request.user, pk)
        found = ActivityParticipant.objects.filter(activity=activity, volunteer_id=volunteer).select_related("volunteer").first()
        if found is None:
            raise NotFound(_("This volunteer is not on the activity's roster."))
        protection.participant_remove(actor=request.user, activity=activity, volunteer=found.volunteer)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ActivityCover(ProcessView):
    """Whether a dangerous activity's participants are all insured for its dates, and who is not."""

    @extend_schema(responses=CoverSerializer, operation_id="certification_activity_cover")
    def get(self, request, pk):
        activity = _own_activity(request.user, pk)
        missing = protection.uncovered_participants(activity)
        return Response(CoverSerializer({"dangerous": activity.dangerous, "covered": not missing,
                                         "uncovered": missing}).data)


class ActivityRisk(ProcessView):
    serializer_class = s.CertActivitySerializer

    @extend_schema(request=RiskSerializer, responses=s.CertActivitySerializer, operation_id="certification_activity_risk")
    def post(self, request, pk):
        data = valid(RiskSerializer, request)
        activity = protection.activity_mark_dangerous(actor=request.user, activity=_own_activity(request.user, pk),
                                                      dangerous=data["dangerous"])
        return self.answer(activity)


class ActivityStart(ProcessView):
    """Start the activity; a dangerous one only when every participant is insured (409 ``uninsured``
    naming who is not)."""

    serializer_class = s.CertActivitySerializer

    @extend_schema(request=None, responses=s.CertActivitySerializer, operation_id="certification_activity_start")
    def post(self, request, pk):
        activity = protection.activity_start(actor=request.user, activity=_own_activity(request.user, pk))
        return self.answer(activity)


class PolicyList(ListView):
    """Accident insurance policies of the caller's organizations (and, for the supervising
    department's staff, of the organizations it supervises). POST (multipart) records one."""

    serializer_class = PolicySerializer
    parser_classes = [MultiPartParser, FormParser]

    def visible(self, user):
        return InsurancePolicy.objects.visible_to(user).select_related("organization").prefetch_related("insured").order_by(
            "-recorded_at", "-pk")

    @extend_schema(request={"multipart/form-data": PolicyCreateSerializer}, responses={201: PolicySerializer})
    def post(self, request):
        data = valid(PolicyCreateSerializer, request)
        organization = Organization.objects.filter(pk=data["organization"], pk__in=rights.organization_ids(request.user)).first()
        if organization is None:
            raise NotFound(_("No such organization."))
        volunteers = list(Volunteer.objects.filter(pk__in=data["volunteers"]))
        if len(volunteers) != len(set(data["volunteers"])):
            raise NotFound(_("Volunteer not found."))
        policy = protection.insurance_record(
            actor=request.user, organization=organization, insurer=data["insurer"], policy_number=data["policy_number"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], volunteers=volunteers, files=data["files"])
        return self.answer(policy, status=status.HTTP_201_CREATED)


class CommendationList(ListView):
    """Departments' commendations the caller may see (``?standing=1``: not revoked). POST: staff
    and heads of a department commend one volunteer or one organization."""

    serializer_class = CommendationSerializer

    def visible(self, user):
        return commendations_visible_to(user).select_related("department", "volunteer", "organization").order_by(
            "-commended_on", "-pk")

    def filter(self, queryset, params):
        return queryset.filter(revoked_at__isnull=True) if params.get("standing") in ("1", "true") else queryset

    @extend_schema(request=CommendationCreateSerializer, responses={201: CommendationSerializer})
    def post(self, request):
        data = valid(CommendationCreateSerializer, request)
        department = Department.objects.filter(pk=data["department"]).first()
        if department is None:
            raise NotFound(_("No such department."))
        volunteer = organization = None
        if data.get("volunteer"):
            volunteer = Volunteer.objects.filter(pk=data["volunteer"]).first()
            if volunteer is None:
                raise NotFound(_("Volunteer not found."))
        if data.get("organization"):
            organization = Organization.objects.filter(pk=data["organization"]).first()
            if organization is None:
                raise NotFound(_("No such organization."))
        commendation = commendation_create(
            actor=request.user, department=department, volunteer=volunteer, organization=organization,
            title=data["title"], reason=data["reason"], document_number=data["document_number"],
            commended_on=data["commended_on"])
        return self.answer(commendation, status=status.HTTP_201_CREATED)


class CommendationRevoke(ProcessView):
    serializer_class = CommendationSerializer

    @extend_schema(request=RevokeSerializer, responses=CommendationSerializer, operation_id="certification_commendation_revoke")
    def post(self, request, pk):
        data = valid(RevokeSerializer, request)
        commendation = visible_or_404(commendations_visible_to(request.user), _("No such commendation."), pk=pk)
        return self.answer(commendation_revoke(actor=request.user, commendation=commendation, reason=data["reason"]))
