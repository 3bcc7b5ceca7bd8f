"""Enquiries on a published tender (P10): anyone reads the answered ones, a registered
organization's member asks during the enquiry period (rate-limited), the purchasing department
lists and answers them."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated

from engine.api.generic import ListView, ProcessView, valid, visible_or_404
from engine.cases.errors import NotFound

from .. import selectors, services
from ..serializers import (
    DepartmentEnquirySerializer,
    EnquiryAnswerSerializer,
    EnquiryAskSerializer,
    EnquiryFilterSerializer,
    EnquirySerializer,
)
from ..throttles import EnquiryThrottle


class TenderEnquiries(ListView):
    """A public tender's enquiries: the answered ones for everyone, also the caller's own
    organizations' unanswered ones; POST asks a new one during the enquiry period."""

    serializer_class = EnquirySerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    def get_throttles(self):
        return [EnquiryThrottle()] if self.request.method == "POST" else super().get_throttles()

    def tender(self, reference):
        return visible_or_404(selectors.public_notices(), _("No such tender, or not published yet."), reference=reference)

    def visible(self, user):
        tender = self.tender(self.kwargs["reference"])
        return selectors.tender_enquiries_for(user, tender)

    @extend_schema(request=EnquiryAskSerializer, responses={201: EnquirySerializer})
    def post(self, request, reference):
        tender = self.tender(reference)
        data = valid(EnquiryAskSerializer, request)
        enquiry = services.enquiry_ask(actor=request.user, tender_id=tender.pk, organization_id=data["organization"],
                                       title=data["title"], question=data["question"])
        return self.answer(enquiry, status=status.HTTP_201_CREATED)


class EnquiryList(ListView):
    """The enquiries the caller's departments answer, unanswered first by due time;
    ``state`` = unanswered, answered or overdue, ``tender`` = a reference."""

    serializer_class = DepartmentEnquirySerializer

    def visible(self, user):
        return selectors.department_enquiries(user)

    def filter(self, queryset, params):
        query = EnquiryFilterSerializer(data=params)
        query.is_valid(raise_exception=True)
        return selectors.filter_enquiries(queryset, **query.validated_data)

    @extend_schema(parameters=[EnquiryFilterSerializer], responses=DepartmentEnquirySerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EnquiryAnswer(ProcessView):
    """The purchasing department answers an enquiry; the answer is published at once."""

    serializer_class = DepartmentEnquirySerializer

    @extend_schema(request=EnquiryAnswerSerializer, responses=DepartmentEnquirySerializer)
    def post(self, request, pk):
        answer = valid(EnquiryAnswerSerializer, request)["answer"]
        enquiry = services.enquiry_answer(actor=request.user, enquiry_id=pk, answer=answer)
        found = selectors.department_enquiries(request.user).filter(pk=enquiry.pk).first()
        if found is None:
            raise NotFound()
        return self.answer(found)
