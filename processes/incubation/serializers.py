"""API shapes of the incubation process. Experts and organizations see less than staff:
an organization never sees individual expert scores; an expert sees only their own."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from engine.api.generic import DecisionSerializer
from engine.cases.models import TaskRoute

from .models import ExpertScore, IncubationApplication, Milestone, Nomination


class StepSerializer(serializers.ModelSerializer):
    step_title = serializers.CharField(source="display_step_title", read_only=True)
    department = serializers.CharField(source="department.name")

    class Meta:
        model = TaskRoute
        fields = ["node", "step_title", "department", "role", "state", "due_at", "due_provisional"]


class MilestoneSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.display_name", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "kind", "kind_display", "title", "happened_on", "evidence", "uscc", "recorded_by",
                  "recorded_at"]
        read_only_fields = ["id", "recorded_by", "recorded_at"]


class ScoreSheetSerializer(serializers.ModelSerializer):
    expert = serializers.CharField(source="expert.display_name")

    class Meta:
        model = ExpertScore
        fields = ["expert", "score", "comment", "scored_at"]


class NominationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)

    class Meta:
        model = Nomination
        fields = ["id", "reference", "kind", "kind_display", "project", "state", "state_display", "reason",
                  "nominated_at", "decided_at"]
        read_only_fields = fields


class ApplicationListSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name")
    base = serializers.CharField(source="department.code")
    base_name = serializers.CharField(source="department.name")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = IncubationApplication
        fields = ["reference", "organization", "base", "base_name", "status", "status_display", "submitted_at",
                  "incubation_start", "incubation_end", "created_at"]


class ApplicationDetailSerializer(ApplicationListSerializer):
    open_steps = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, read_only=True)
    scores = serializers.SerializerMethodField(
        help_text=_("Staff see every sheet; an expert only their own; the organization none."))

    class Meta(ApplicationListSerializer.Meta):
        fields = ApplicationListSerializer.Meta.fields + [
            "plan", "documents", "return_reason", "decision_reason", "expert_average", "approved_at",
            "agreement_terms", "agreement_offered_at", "agreement_accepted_at", "midterm_planned",
            "midterm_notes", "extensions", "self_evaluation", "self_evaluation_at",
            "graduation_interview", "graduation_document_review", "score_governance", "score_services", "score_finance",
            "open_steps", "milestones", "scores",
        ]

    def get_open_steps(self, case) -> list:
        routes = TaskRoute.objects.open().filter(reference=case.reference).select_related("department")
        return StepSerializer(routes, many=True).data

    def get_scores(self, case) -> list:
        view = self.context.get("scores_view")
        sheets = case.expert_scores.select_related("expert")
        if view == "staff":
            return ScoreSheetSerializer(sheets, many=True).data
        if view == "expert":
            return ScoreSheetSerializer(sheets.filter(expert=self.context["request"].user), many=True).data
        return []

    def to_representation(self, case):
        data = super().to_representation(case)
        if self.context.get("scores_view") != "staff":
            data["expert_average"] = None
        return data


class ApplicationCreateSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    base = serializers.CharField(help_text=_("Code of the incubation base, e.g. base-city"))
    plan = serializers.CharField()
    documents = serializers.ListField(child=serializers.CharField(max_length=200), allow_empty=True, default=list)


class ApplicationUpdateSerializer(serializers.Serializer):
    plan = serializers.CharField(required=False)
    documents = serializers.ListField(child=serializers.CharField(max_length=200), required=False)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SelfEvaluationSerializer(serializers.Serializer):
    text = serializers.CharField()


class ScoreSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ConflictSerializer(serializers.Serializer):
    statement = serializers.CharField(help_text=_("Conflict of interest statement"))


class MilestoneCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Milestone.Kind.choices)
    title = serializers.CharField(max_length=200)
    happened_on = serializers.DateField()
    evidence = serializers.CharField()
    uscc = serializers.CharField(required=False, allow_blank=True, default="")


class NominationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Nomination.Kind.choices)
    project = serializers.IntegerField(required=False, allow_null=True)


@extend_schema_serializer(deprecate_fields=["approve"])
class NominationDecideSerializer(DecisionSerializer):
    # 民政局's decision on a nomination (I6): approve, or reject with a reason (the service
    # asks for it). The older body {approve, reason} is still read.
    decision = serializers.ChoiceField(choices=[("approve", _("Select")), ("reject", _("Do not select"))])
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Required when not selecting"))
    approve = serializers.BooleanField(required=False, help_text=_(
        "Deprecated: true means decision approve, false means reject. Use decision instead."))

    old_flag = ("approve", "approve", "reject")
