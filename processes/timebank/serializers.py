"""Shapes of the time bank's API."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Entry, ExchangeService, LedgerTransaction, Redemption


class TimeAccountSerializer(serializers.Serializer):
    volunteer_number = serializers.CharField()
    balance = serializers.DecimalField(max_digits=10, decimal_places=2)
    held = serializers.DecimalField(max_digits=10, decimal_places=2)
    debt = serializers.DecimalField(max_digits=10, decimal_places=2)


class StatementEntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="transaction.kind")
    kind_label = serializers.CharField(source="transaction.get_kind_display")
    at = serializers.DateTimeField(source="transaction.created_at")
    memo = serializers.CharField(source="transaction.memo")
    record = serializers.IntegerField(source="transaction.record_id", allow_null=True)
    redemption = serializers.SerializerMethodField()

    class Meta:
        model = Entry
        fields = ["id", "at", "kind", "kind_label", "amount", "memo", "record", "redemption"]

    def get_redemption(self, obj) -> str | None:
        return obj.transaction.redemption.reference if obj.transaction.redemption_id else None


class ExchangeServiceSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ExchangeService
        fields = ["id", "title", "description", "hours", "provider", "provider_name", "district", "district_name",
                  "is_active", "created_at"]


class ExchangeServiceCreateSerializer(serializers.Serializer):
    provider = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    hours = serializers.CharField(max_length=20)
    district = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None)


class RedeemSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RedemptionSerializer(serializers.ModelSerializer):
    service_title = serializers.CharField(source="service.title", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    volunteer_name = serializers.CharField(source="volunteer.real_name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Redemption
        fields = ["reference", "service", "service_title", "provider", "provider_name", "volunteer_name", "hours",
                  "status", "status_label", "note", "due_at", "decided_at", "reason", "created_at"]


class RedemptionDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("confirm", _("Confirm delivery")), ("decline", _("Decline")),
                                                ("cancel", _("Cancel the redemption"))])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class TransferSerializer(serializers.Serializer):
    to_volunteer_number = serializers.CharField(max_length=32)
    to_id_number = serializers.CharField(max_length=18)
    hours = serializers.CharField(max_length=20)
    relationship = serializers.CharField(max_length=50)


class TransferResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerTransaction
        fields = ["id", "kind", "memo", "created_at"]
