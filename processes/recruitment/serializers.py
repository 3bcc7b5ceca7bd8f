"""API shapes of the recruitment process. A volunteer's name is masked (D6) except to the
volunteer themself and the organization they signed up with."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import ActivityType, EmergencyCall, Recruitment, SignUp, Skill, Slot


class RecruitSkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name"]


class RecruitActivityTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityType
        fields = ["id", "name", "requires_training"]


class RecruitSlotSerializer(serializers.ModelSerializer):
    taken = serializers.IntegerField(read_only=True, default=0)
    waiting = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Slot
        fields = ["id", "start_at", "end_at", "places", "taken", "waiting"]


class RecruitmentSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="activity.organization.name", read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    skills = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    activity_type = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    slots = RecruitSlotSerializer(many=True, read_only=True)

    class Meta:
        model = Recruitment
        fields = ["id", "reference", "title", "description", "activity", "organization", "activity_type", "kind", "mode",
                  "district", "place", "skills", "min_age", "max_age", "risk", "answer_by", "status", "slots",
                  "created_at"]


class RecruitSlotInputSerializer(serializers.Serializer):
    start_at = serializers.DateTimeField()
    end_at = serializers.DateTimeField()
    places = serializers.IntegerField(min_value=1, max_value=10000)


class RecruitmentCreateSerializer(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1)
    title = serializers.CharField(max_length=128)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=128)
    kind = serializers.ChoiceField(choices=Recruitment.Kind.choices, default=Recruitment.Kind.REGULAR)
    mode = serializers.ChoiceField(choices=Recruitment.Mode.choices, default=Recruitment.Mode.ONLINE)
    risk = serializers.ChoiceField(choices=Recruitment.Risk.choices, default=Recruitment.Risk.LOW)
    district = serializers.CharField(max_length=12, required=False, allow_blank=True, default="",
                                     help_text=_("District code"))
    skills = serializers.ListField(child=serializers.CharField(max_length=64), required=False, default=list,
                                   max_length=20)
    activity_type = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    min_age = serializers.IntegerField(min_value=0, max_value=150, required=False, allow_null=True, default=None)
    max_age = serializers.IntegerField(min_value=0, max_value=150, required=False, allow_null=True, default=None)
    answer_by = serializers.DateTimeField(required=False, allow_null=True, default=None)
    slots = RecruitSlotInputSerializer(many=True, allow_empty=False, max_length=50)


class RecruitReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RecruitAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=EmergencyCall.Answer.choices)
    slot = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class RecruitOnSpotSerializer(serializers.Serializer):
    consent_note = serializers.CharField(max_length=200)
    volunteer_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    real_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class RecruitSignUpSerializer(serializers.ModelSerializer):
    volunteer_number = serializers.CharField(source="volunteer.volunteer_number", read_only=True)
    volunteer_name = serializers.SerializerMethodField()
    recruitment = serializers.IntegerField(source="slot.recruitment_id", read_only=True)
    start_at = serializers.DateTimeField(source="slot.start_at", read_only=True)
    end_at = serializers.DateTimeField(source="slot.end_at", read_only=True)

    class Meta:
        model = SignUp
        fields = ["id", "recruitment", "slot", "start_at", "end_at", "volunteer_number", "volunteer_name", "status",
                  "source", "created_at", "decided_at"]

    def get_volunteer_name(self, obj) -> str:
        user = self.context.get("user")
        if user is not None and obj.volunteer.user_id == user.pk:
            return obj.volunteer.real_name
        if obj.slot.recruitment.activity.organization_id in self.context.get("org_ids", ()):
            return obj.volunteer.real_name
        return obj.volunteer.masked_name


class RecruitCallCountSerializer(serializers.Serializer):
    called = serializers.IntegerField()
    answered = serializers.IntegerField()
    coming = serializers.IntegerField()
    declined = serializers.IntegerField()
    answer_by = serializers.DateTimeField(allow_null=True)


class RecruitCallSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="recruitment.title", read_only=True)
    answer_by = serializers.DateTimeField(source="recruitment.answer_by", read_only=True)

    class Meta:
        model = EmergencyCall
        fields = ["id", "recruitment", "title", "answer_by", "sent_at", "answer", "answered_at"]


class RecruitProfileSerializer(serializers.Serializer):
    skills = serializers.ListField(child=serializers.CharField(max_length=64), max_length=20)
    emergency_available = serializers.BooleanField()
