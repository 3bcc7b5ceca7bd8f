from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from rest_framework import serializers

from .models import TaskRoute


class TaskSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    owner = serializers.CharField(source="owner.username", default=None, allow_null=True)
    delegate = serializers.CharField(source="delegate.username", default=None, allow_null=True)
    step_title = serializers.CharField(source="display_step_title", read_only=True)
    case_title = serializers.CharField(source="display_case_title", read_only=True)
    overdue = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField(
        help_text=gettext_lazy("Decision codes and labels, read from the flow definition."))

    class Meta:
        model = TaskRoute
        fields = [
            "id", "reference", "case_title", "process_name", "node", "step_title", "department",
            "department_name", "role", "state", "owner", "delegate", "priority", "created_at",
            "due_at", "due_provisional", "overdue", "escalation_level", "completed_at", "decision",
            "decisions",
        ]

    def get_overdue(self, route) -> bool:
        return route.is_open and route.due_at < timezone.now()

    def get_decisions(self, route) -> dict:
        # the task is joined by the queryset, so reading its step costs no query
        step = route.task.flow_task
        return {code: str(d.label) for code, d in getattr(step, "decisions", {}).items()}


class ActionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(ActionSerializer):
    user = serializers.IntegerField()


class CompleteSerializer(ActionSerializer):
    decision = serializers.CharField()
    data = serializers.DictField(required=False, default=dict)


class OpenStepSerializer(serializers.Serializer):
    step = serializers.CharField(source="display_step_title")
    node = serializers.CharField()
    department = serializers.CharField(source="department.name")
    department_code = serializers.CharField(source="department.code")
    role = serializers.CharField()
    state = serializers.CharField()
    due_at = serializers.DateTimeField()
    due_provisional = serializers.BooleanField()


class HistorySerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_name")
    action = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    reason = serializers.CharField()


class PartyHistorySerializer(serializers.Serializer):
    """What an applicant sees of a case's history: when its status changed and why; not who
    acted inside the departments, nor the data they recorded (scores, bids, notes)."""

    at = serializers.DateTimeField()
    status_before = serializers.CharField(source="before.status", default="")
    status_after = serializers.CharField(source="after.status", default="")
    reason = serializers.CharField()


class BulkSerializer(serializers.Serializer):
    """Many tasks at once: ``claim`` them, or ``reassign`` them to ``user`` (head)."""

    action = serializers.ChoiceField(choices=[("claim", pgettext_lazy("task", "Claim")),
                                              ("reassign", pgettext_lazy("task", "Reassign"))])
    tasks = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=100)
    user = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, data):
        if data["action"] == "reassign" and data.get("user") is None:
            raise serializers.ValidationError({"user": [serializers.Field.default_error_messages["required"]]})
        return data


class OutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    ok = serializers.BooleanField()
    code = serializers.CharField()
    detail = serializers.CharField()


class BulkResultSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = OutcomeSerializer(many=True)
