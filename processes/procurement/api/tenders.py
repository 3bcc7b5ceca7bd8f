"""Tenders by reference, their bids (sealed until the deadline, P4), expert scores, recusal and
the recomputed ranking (P5)."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from engine.api.generic import ListView, ProcessView, valid
from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed
from engine.cases.models import TaskRoute

from .. import selectors, services
from ..models import Bid, Tender
from ..serializers import (
    BidReplaceSerializer,
    BidSerializer,
    BidSubmitSerializer,
    ProcurementReasonSerializer,
    RankingRowSerializer,
    RecusalSerializer,
    ScoreSubmitSerializer,
    TenderCreateSerializer,
    TenderSerializer,
    TenderUpdateSerializer,
)
from .lookups import budget_line_by_id, catalogue_item_by_id, department_by_code, tender_visible


class TenderList(ListView):
    """Tenders the caller may see: public ones, plus the caller's department's, finance's, panel's."""

    serializer_class = TenderSerializer

    def visible(self, user):
        return selectors.tenders_visible_to(user).order_by("-created_at", "-pk")

    def filter(self, queryset, params):
        return queryset.filter(status=params["status"]) if params.get("status") else queryset

    @extend_schema(request=TenderCreateSerializer, responses={201: TenderSerializer})
    def post(self, request):
        data = dict(valid(TenderCreateSerializer, request))
        department = department_by_code(data.pop("department"))
        line = budget_line_by_id(data.pop("budget_line"))
        item = catalogue_item_by_id(data.pop("catalogue_item"))
        tender = services.tender_create(actor=request.user, department=department, budget_line=line,
                                        catalogue_item=item, **data)
        return self.answer(tender, status=status.HTTP_201_CREATED)


class TenderDetail(ProcessView):
    serializer_class = TenderSerializer

    @extend_schema(responses=TenderSerializer)
    def get(self, request, reference):
        return self.answer(tender_visible(request.user, reference))

    @extend_schema(request=TenderUpdateSerializer, responses=TenderSerializer)
    def patch(self, request, reference):
        """Correct a draft (department staff)."""
        tender = tender_visible(request.user, reference)
        data = dict(valid(TenderUpdateSerializer, request))
        if "catalogue_item" in data:
            data["catalogue_item"] = catalogue_item_by_id(data["catalogue_item"])
        if "budget_line" in data:
            data["budget_line"] = budget_line_by_id(data["budget_line"])
        return self.answer(services.tender_update(actor=request.user, tender_id=tender.pk, **data))


class TenderCancel(ProcessView):
    serializer_class = TenderSerializer

    @extend_schema(request=ProcurementReasonSerializer, responses=TenderSerializer)
    def post(self, request, reference):
        tender = tender_visible(request.user, reference)
        reason = valid(ProcurementReasonSerializer, request)["reason"]
        return self.answer(services.tender_cancel(actor=request.user, tender_id=tender.pk, reason=reason))


class TenderBids(ListView):
    """Bids on a tender: before the deadline only the caller's own (not even how many others,
    P4); afterwards staff see them all, a bidder its own."""

    serializer_class = BidSerializer

    def visible(self, user):
        tender = tender_visible(user, self.kwargs["reference"])
        return selectors.bids_visible_to(user, tender).order_by("rank", "submitted_at", "pk")


class TenderRanking(ProcessView):
    """The ranking recomputed from the score sheets (P5); once evaluation has concluded."""

    @extend_schema(responses=RankingRowSerializer(many=True))
    def get(self, request, reference):
        tender = tender_visible(request.user, reference)
        if not selectors.is_staff_view(request.user, tender):
            raise NotAllowed()
        return Response(RankingRowSerializer(selectors.concluded_ranking(tender), many=True).data)


class TenderScores(ProcessView):
    """The calling expert's declaration and score sheets, completing their own task (D3, P5)."""

    serializer_class = TenderSerializer

    @extend_schema(request=ScoreSubmitSerializer, responses=TenderSerializer)
    def post(self, request, reference):
        tender = tender_visible(request.user, reference)
        route = TaskRoute.objects.open().filter(reference=tender.reference, node="score", owner=request.user).first()
        if route is None:
            raise NotAllowed(_("You have no evaluation task for this tender."))
        task_complete(actor=request.user, task_id=route.pk, decision="submit", data=valid(ScoreSubmitSerializer, request))
        return self.answer(Tender.objects.get(pk=tender.pk))


class TenderRecusal(ProcessView):
    """A panel expert declares a conflict of interest and recuses before scoring (D3); the
    department head reassigns the scoring task (``/api/v1/tasks/<id>/reassign/``)."""

    @extend_schema(request=RecusalSerializer, responses={201: dict})
    def post(self, request, reference):
        tender = tender_visible(request.user, reference)
        services.expert_recuse(actor=request.user, tender_id=tender.pk,
                               statement=valid(RecusalSerializer, request)["statement"])
        return Response({"detail": _("Recusal declared; the head of the purchasing department will reassign the task.")}, status=status.HTTP_201_CREATED)


class BidList(ListView):
    """The caller's organizations' bids with where each stands; submit a new one."""

    serializer_class = BidSerializer

    def visible(self, user):
        return selectors.bids_of(user)

    @extend_schema(request=BidSubmitSerializer, responses={201: BidSerializer})
    def post(self, request):
        data = valid(BidSubmitSerializer, request)
        tender = tender_visible(request.user, data["tender"])
        bid = services.bid_submit(actor=request.user, tender_id=tender.pk, organization_id=data["organization"],
                                  price=data["price"], content=data["content"])
        return self.answer(bid, status=status.HTTP_201_CREATED)


class BidAction(ProcessView):
    """withdraw or replace a bid before the deadline (409 after it)."""

    serializer_class = BidSerializer

    @extend_schema(request=BidReplaceSerializer, responses=BidSerializer)
    def post(self, request, pk, verb):
        if verb == "withdraw":
            bid = services.bid_withdraw(actor=request.user, bid_id=pk)
        else:
            data = valid(BidReplaceSerializer, request)
            bid = services.bid_replace(actor=request.user, bid_id=pk, price=data["price"], content=data["content"])
        return self.answer(Bid.objects.select_related("tender", "organization").get(pk=bid.pk))
