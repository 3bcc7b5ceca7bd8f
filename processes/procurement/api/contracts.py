"""Contracts (P8): milestones, payments and the performance evaluation."""
from drf_spectacular.utils import extend_schema
from rest_framework import status

from engine.api.generic import ListView, ProcessView, valid

from .. import selectors, services
from ..serializers import (
    ContractMilestoneCreateSerializer,
    ContractMilestoneSerializer,
    ContractSerializer,
    PaymentRequestSerializer,
    PaymentSerializer,
    PerformanceSerializer,
    ProcurementReasonSerializer,
    TenderSerializer,
)
from .lookups import tender_visible


class ContractList(ListView):
    """Published contracts (P8) with milestones and payments."""

    serializer_class = ContractSerializer

    def visible(self, user):
        return selectors.contracts_visible_to(user).order_by("-signed_at")


class TenderMilestones(ProcessView):
    serializer_class = ContractMilestoneSerializer

    @extend_schema(request=ContractMilestoneCreateSerializer, responses={201: ContractMilestoneSerializer})
    def post(self, request, reference):
        tender = tender_visible(request.user, reference)
        data = valid(ContractMilestoneCreateSerializer, request)
        milestone = services.milestone_add(actor=request.user, tender_id=tender.pk, **data)
        return self.answer(milestone, status=status.HTTP_201_CREATED)


class MilestoneAccept(ProcessView):
    serializer_class = ContractMilestoneSerializer

    @extend_schema(request=None, responses=ContractMilestoneSerializer)
    def post(self, request, pk):
        return self.answer(services.milestone_accept(actor=request.user, milestone_id=pk))


class PaymentList(ProcessView):
    serializer_class = PaymentSerializer

    @extend_schema(request=PaymentRequestSerializer, responses={201: PaymentSerializer})
    def post(self, request):
        data = valid(PaymentRequestSerializer, request)
        payment = services.payment_request(actor=request.user, milestone_id=data["milestone"], amount=data["amount"])
        return self.answer(payment, status=status.HTTP_201_CREATED)


class PaymentAction(ProcessView):
    """approve or reject (finance reviewer, P8)."""

    serializer_class = PaymentSerializer

    @extend_schema(request=ProcurementReasonSerializer, responses=PaymentSerializer)
    def post(self, request, pk, verb):
        if verb == "approve":
            payment = services.payment_approve(actor=request.user, payment_id=pk)
        else:
            payment = services.payment_reject(actor=request.user, payment_id=pk,
                                              reason=valid(ProcurementReasonSerializer, request)["reason"])
        return self.answer(payment)


class TenderPerformance(ProcessView):
    serializer_class = TenderSerializer

    @extend_schema(request=PerformanceSerializer, responses=TenderSerializer)
    def post(self, request, reference):
        tender = tender_visible(request.user, reference)
        data = valid(PerformanceSerializer, request)
        return self.answer(services.performance_evaluate(actor=request.user, tender_id=tender.pk, **data))
