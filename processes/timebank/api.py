"""API v1 of the time bank: the caller's time account and statement, the catalogue of
services for hours, redemptions and their answers, and giving hours to family (T7)."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from engine.api.generic import DecideView, ListView, ProcessView, valid
from engine.cases.errors import NotAllowed
from processes.certification.selectors import volunteer_for

from . import selectors
from . import serializers as s
from .models import ZERO
from .services.exchange import (
    hours_transfer,
    redeem,
    redemption_cancel,
    redemption_confirm,
    redemption_decline,
    service_publish,
    service_withdraw,
)


def _volunteer(user):
    volunteer = volunteer_for(user)
    if volunteer is None:
        raise NotAllowed(_("Only a registered volunteer has a time account."), code="not_a_volunteer")
    return volunteer


class AccountView(ProcessView):
    """The caller's time account: balance, hours held by open redemptions, hours owed."""

    serializer_class = s.TimeAccountSerializer

    @extend_schema(responses=s.TimeAccountSerializer)
    def get(self, request):
        volunteer = _volunteer(request.user)
        account = selectors.account_of(volunteer)
        return self.answer({"volunteer_number": volunteer.volunteer_number,
                            "balance": account.balance if account else ZERO,
                            "held": selectors.held_hours(volunteer), "debt": account.debt if account else ZERO})


class StatementList(ListView):
    """The caller's statement: every entry on their time account, newest first."""

    serializer_class = s.StatementEntrySerializer

    def visible(self, user):
        return selectors.statement(selectors.account_of(_volunteer(user)))


class ServiceList(ListView):
    """The catalogue of services offered for hours (public): ``q``, ``district``,
    ``provider``, ``max_hours``, ``sort`` (new, hours, -hours, title). POST publishes one
    (a manager of the provider)."""

    serializer_class = s.ExchangeServiceSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    def visible(self, user):
        return selectors.services()

    def filter(self, queryset, params):
        return selectors.services(params)

    @extend_schema(request=s.ExchangeServiceCreateSerializer, responses={201: s.ExchangeServiceSerializer})
    def post(self, request):
        v = valid(s.ExchangeServiceCreateSerializer, request)
        service = service_publish(actor=request.user, provider_id=v["provider"], title=v["title"], hours=v["hours"],
                                  description=v["description"], district=v["district"])
        return self.answer(service, status=status.HTTP_201_CREATED)


class ServiceWithdraw(ProcessView):
    """A manager of the provider takes the service off the catalogue."""

    serializer_class = s.ExchangeServiceSerializer

    @extend_schema(request=None, responses=s.ExchangeServiceSerializer)
    def post(self, request, pk):
        return self.answer(service_withdraw(actor=request.user, service_id=pk))


class ServiceRedeem(ProcessView):
    """The caller (a volunteer) redeems the service: its hours are held until the provider answers."""

    serializer_class = s.RedemptionSerializer

    @extend_schema(request=s.RedeemSerializer, responses={201: s.RedemptionSerializer})
    def post(self, request, pk):
        v = valid(s.RedeemSerializer, request)
        return self.answer(redeem(actor=request.user, service_id=pk, note=v["note"]), status=status.HTTP_201_CREATED)


class RedemptionList(ListView):
    """Redemptions the caller may see (their own, their organizations', supervised providers'):
    ``status``, ``q``, ``sort`` (new, due, hours)."""

    serializer_class = s.RedemptionSerializer

    def visible(self, user):
        return selectors.redemptions_visible_to(user)

    def filter(self, queryset, params):
        return selectors.filter_redemptions(queryset, params)


class RedemptionDecide(DecideView):
    """The provider confirms delivery or declines (reason required); the volunteer cancels."""

    serializer_class = s.RedemptionSerializer
    decision_serializer = s.RedemptionDecisionSerializer

    def visible(self, user):
        return selectors.redemptions_visible_to(user)

    def decide(self, target, data):
        service = {"confirm": redemption_confirm, "decline": redemption_decline,
                   "cancel": redemption_cancel}[data["decision"]]
        return service(actor=self.request.user, reference=target.reference, reason=data["reason"])


class TransferCreate(ProcessView):
    """Give hours to a family member (only when the time bank allows it)."""

    serializer_class = s.TransferResultSerializer

    @extend_schema(request=s.TransferSerializer, responses={201: s.TransferResultSerializer})
    def post(self, request):
        v = valid(s.TransferSerializer, request)
        tx = hours_transfer(actor=request.user, **v)
        return Response(s.TransferResultSerializer(tx).data, status=status.HTTP_201_CREATED)
