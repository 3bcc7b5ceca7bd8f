"""API shapes of the certification process. Personal data is masked (D6) except to the
volunteer themself (R5)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from engine.api.generic import DecisionSerializer, decision_choices

from .flows import CertificateFlow, DisputeFlow
from .models import Activity, Attendance, Certificate, CertificateRequest, Dispute, ServiceRecord, Volunteer
from .signing import canonical, signed_content


class CertVolunteerSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField()
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = ["id", "volunteer_number", "real_name", "id_number", "phone", "district", "consent_at",
                  "consent_note"]

    def _own(self, obj):
        user = self.context.get("user")
        return user is not None and obj.user_id == user.pk

    @extend_schema_field(str)
    def get_id_number(self, obj):
        return obj.id_number if self._own(obj) else obj.masked_id

    @extend_schema_field(str)
    def get_phone(self, obj):
        return obj.phone if self._own(obj) else obj.masked_phone


class CertVolunteerCreateSerializer(serializers.Serializer):
    real_name = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    organization = serializers.IntegerField(required=False, help_text=_("Given when an organization enters the volunteer (with the volunteer's consent)"))
    consent = serializers.BooleanField(required=False, default=False)
    consent_note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    district = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                     help_text=_("Code of the district of residence (e.g. jinshui), for the 2025 target figures"))


class CertClaimSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18)
    code = serializers.CharField(max_length=32, help_text=_("The claim code handed out by the entering organization"))
    district = serializers.CharField(max_length=32, required=False, allow_blank=True)


class CertClaimCodeSerializer(serializers.Serializer):
    claim_code = serializers.CharField(help_text=_("Shown only once; hand it to the volunteer in person"))
    expires_at = serializers.DateTimeField()


class CertActivitySerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    length_hours = serializers.DecimalField(max_digits=7, decimal_places=2, read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "organization", "organization_name", "name", "category", "place", "content",
                  "start_at", "end_at", "person_in_charge", "length_hours", "dangerous", "started_at"]
        read_only_fields = ["started_at"]


class CertRecordSerializer(serializers.ModelSerializer):
    volunteer_number = serializers.CharField(source="volunteer.volunteer_number", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.real_name", read_only=True)
    activity_name = serializers.CharField(source="activity.name", read_only=True)
    organization = serializers.CharField(source="activity.organization.name", read_only=True)

    class Meta:
        model = ServiceRecord
        fields = ["id", "volunteer", "volunteer_number", "volunteer_name", "activity", "activity_name",
                  "organization", "hours", "content", "source", "status", "late", "version", "previous",
                  "is_current", "is_deleted", "entered_at", "review_reason", "correction_reason"]
        read_only_fields = fields


class CertRecordCreateSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField()
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                      help_text=_("The volunteer's ID number, when your organization did not enter the volunteer and the volunteer has not served at your activities"))
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.all())
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True,
                                     help_text=_("Leave empty for commendations and evaluations"))
    source = serializers.ChoiceField(
        choices=ServiceRecord.Source.choices, default="backfill",
        help_text=_("Only backfill: hours entered by hand are always a back-fill; sign-in records come from activities/<id>/sign-in/ and sign-out/"))
    content = serializers.CharField(max_length=200, required=False, allow_blank=True)
    submit = serializers.BooleanField(required=False, default=False, help_text=_("Submit for review right after entering"))


class CertSignSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(required=False, help_text=_("Given when an organization manager signs in on site for a volunteer without an account"))
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True,
                                      help_text=_("The volunteer's ID number, when your organization did not enter the volunteer and the volunteer has not served at your activities"))


class CertAttendanceSerializer(serializers.ModelSerializer):
    record = CertRecordSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["id", "volunteer", "activity", "signed_in_at", "signed_out_at", "record"]
        read_only_fields = fields


class CertReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CertBulkApproveSerializer(CertReasonSerializer):
    records = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=100)


class CertDecideSerializer(DecisionSerializer):
    # the engine's {decision, reason} and the step's own data (a dispute's hours or corrections);
    # ``decision`` is one the open step declares (the service checks which step is open)
    decision = serializers.ChoiceField(choices=decision_choices(
        CertificateFlow.verify, CertificateFlow.seal, DisputeFlow.organizer_review, DisputeFlow.supervisor_review))
    data = serializers.DictField(required=False, default=dict)


class CertCertificateSerializer(serializers.ModelSerializer):
    """``verification_code`` is shown to the volunteer and to the issuing or recording
    organization only (context ``user`` and ``org_ids``); supervising staff get null."""

    superseded_by = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    request = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    verification_code = serializers.SerializerMethodField()

    signed_content = serializers.SerializerMethodField()

    def _holder(self, obj) -> bool:
        user, orgs = self.context.get("user"), self.context.get("org_ids") or set()
        own = user is not None and obj.volunteer.user_id is not None and obj.volunteer.user_id == user.pk
        return own or obj.issuer_id in orgs or obj.request.organization_id in orgs

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_verification_code(self, obj):
        return obj.verification_code if self._holder(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_signed_content(self, obj):
        """The exact UTF-8 text the signature covers, for checking offline against the
        published key (R10); it names the volunteer in full, so holders only."""
        return canonical(signed_content(obj)).decode("utf-8") if self._holder(obj) else None

    class Meta:
        model = Certificate
        fields = ["number", "verification_code", "request", "issued_at", "volunteer_name", "volunteer_id_masked",
                  "recording_organization", "issuer_name", "issuer_contact", "total_hours", "snapshot", "sealed",
                  "status", "superseded_by", "revoke_reason", "signature", "key_id", "signed_content"]
        read_only_fields = fields


class CertRequestSerializer(serializers.ModelSerializer):
    volunteer = serializers.CharField(source="volunteer.volunteer_number", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    handling_organization_name = serializers.CharField(source="handling_organization.name", read_only=True,
                                                       default=None, allow_null=True)
    department = serializers.CharField(source="department.code", read_only=True)
    certificates = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = CertificateRequest
        fields = ["reference", "status", "volunteer", "organization", "organization_name", "handling_organization",
                  "handling_organization_name", "department", "on_behalf", "purpose", "seal_requested",
                  "include_training", "include_evaluation", "include_honours", "refusal_reason", "notice_until", "created_at", "certificates"]
        read_only_fields = fields


class CertRequestCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    volunteer = serializers.IntegerField(required=False, help_text=_("Given when the organization requests on the volunteer's behalf"))
    records = serializers.ListField(child=serializers.IntegerField(), required=False)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    seal_requested = serializers.BooleanField(required=False, default=False)
    include_training = serializers.BooleanField(required=False, default=False)
    include_evaluation = serializers.BooleanField(required=False, default=False, help_text=_("List the organization's evaluation of the volunteer on the certificate"))
    include_honours = serializers.BooleanField(required=False, default=False, help_text=_("List departments' commendations and the star rating on the certificate"))


class CertDisputeSerializer(serializers.ModelSerializer):
    volunteer = serializers.CharField(source="volunteer.volunteer_number", read_only=True)
    certificate = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    supervisor = serializers.CharField(source="supervisor.code", read_only=True)
    department = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = Dispute
        fields = ["reference", "status", "volunteer", "record", "certificate", "organization", "handling_organization",
                  "department", "supervisor", "claim", "claimed_hours", "decision_reason", "appeal_until",
                  "appeal_reason", "escalated", "created_at"]
        read_only_fields = fields


class CertDisputeCreateSerializer(serializers.Serializer):
    record = serializers.IntegerField(required=False)
    certificate = serializers.CharField(required=False)
    claim = serializers.CharField(max_length=2000)
    claimed_hours = serializers.DecimalField(max_digits=7, decimal_places=2, required=False)


class CertVerifySerializer(serializers.Serializer):
    number = serializers.CharField(required=False, allow_blank=True, default="")
    code = serializers.CharField(required=False, allow_blank=True, default="")


class CertReportSerializer(serializers.Serializer):
    number = serializers.CharField()
    code = serializers.CharField(required=False, allow_blank=True, default="")
    reporter_name = serializers.CharField(max_length=64)
    reporter_contact = serializers.CharField(max_length=64)
    description = serializers.CharField()
