"""Complaints on a tender: filed by a bidder, answered by the department, escalated, decided by
finance."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status

from engine.api.generic import DecideView, ListView, ProcessView, valid

from .. import selectors, services
from ..serializers import (
    ComplaintDecideSerializer,
    ComplaintFileSerializer,
    ComplaintSerializer,
    ProcurementTextSerializer,
)
from .lookups import tender_visible


class TenderComplaints(ListView):
    serializer_class = ComplaintSerializer

    def visible(self, user):
        return selectors.complaints_visible_to(user).filter(tender=tender_visible(user, self.kwargs["reference"]))

    @extend_schema(request=ComplaintFileSerializer, responses={201: ComplaintSerializer})
    def post(self, request, reference):
        tender = tender_visible(request.user, reference)
        data = valid(ComplaintFileSerializer, request)
        complaint = services.complaint_file(actor=request.user, tender_id=tender.pk,
                                            organization_id=data["organization"], text=data["text"])
        return self.answer(complaint, status=status.HTTP_201_CREATED)


class ComplaintAction(ProcessView):
    """answer (department) or escalate (complainant)."""

    serializer_class = ComplaintSerializer

    @extend_schema(request=ProcurementTextSerializer, responses=ComplaintSerializer)
    def post(self, request, pk, verb):
        text = valid(ProcurementTextSerializer, request)["text"]
        if verb == "answer":
            complaint = services.complaint_answer(actor=request.user, complaint_id=pk, answer=text)
        else:
            complaint = services.complaint_escalate(actor=request.user, complaint_id=pk, reason=text)
        return self.answer(complaint)


class ComplaintDecide(DecideView):
    """Finance decides an escalated complaint: ``decision`` uphold or dismiss, ``reason`` the
    written decision."""

    decision_serializer = ComplaintDecideSerializer
    serializer_class = ComplaintSerializer
    lookup_field = "pk"
    not_found = _("No such complaint.")

    def visible(self, user):
        return selectors.complaints_visible_to(user)

    def decide(self, target, data):
        return services.complaint_decide(actor=self.request.user, complaint_id=target.pk,
                                         upheld=data["decision"] == "uphold", decision=data["reason"])
