"""API v1 of procurement under ``/api/v1/procurement/``.

Catalogue and budget lines (finance maintains), tenders by reference (department staff create
and cancel; everyone signed in reads public ones), bids (organizations submit, replace,
withdraw; prices sealed until the deadline, P4), expert scores and the recomputable ranking,
complaints, contracts with milestones and payments, the performance evaluation, OCDS releases
(public) and the results export. Queue steps without rich input (submit, pre-check, award
review) go through the generic ``/api/v1/tasks/<id>/complete/``.
"""
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.cases.actions import task_complete
from engine.cases.errors import NotAllowed, NotFound, RuleViolation
from engine.cases.models import TaskRoute
from engine.directory.models import Department

from . import ocds, selectors, services
from .models import Bid, BudgetLine, CatalogueItem, Tender
from .serializers import (
    BidReplaceSerializer,
    BidSerializer,
    BidSubmitSerializer,
    BudgetLineCreateSerializer,
    BudgetLineSerializer,
    CatalogueItemSerializer,
    ComplaintDecideSerializer,
    ComplaintFileSerializer,
    ComplaintSerializer,
    ContractMilestoneCreateSerializer,
    ContractMilestoneSerializer,
    ContractSerializer,
    PaymentRequestSerializer,
    PaymentSerializer,
    PerformanceSerializer,
    ProcurementReasonSerializer,
    ProcurementTextSerializer,
    RankingRowSerializer,
    RecusalSerializer,
    ScoreSubmitSerializer,
    TenderCreateSerializer,
    TenderSerializer,
    TenderUpdateSerializer,
)
from .services.catalogue import check_catalogue_authority


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _tender(request, reference) -> Tender:
    tender = selectors.tender_for(request.user, reference)
    if tender is None:
        raise NotFound("采购项目不存在。")
    return tender


def _get(model, pk, message):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise RuleViolation(message, fields={"id": [message]})
    return obj


class Paginated(APIView):
    def page(self, qs, serializer_class):
        paginator = self.pagination_class()
        items = paginator.paginate_queryset(qs, self.request, view=self)
        return paginator.get_paginated_response(
            serializer_class(items, many=True, context={"request": self.request}).data
        )

    @property
    def pagination_class(self):
        from engine.api.pagination import Pagination

        return Pagination


class CatalogueList(Paginated):
    """The guiding catalogue; finance adds items (P1)."""

    @extend_schema(responses=CatalogueItemSerializer(many=True))
    def get(self, request):
        qs = CatalogueItem.objects.order_by("-year", "code")
        if year := request.query_params.get("year"):
            if not year.isdigit():
                raise RuleViolation("年度须为数字。", fields={"year": ["年度须为数字。"]})
            qs = qs.filter(year=int(year))
        return self.page(qs, CatalogueItemSerializer)

    @extend_schema(request=CatalogueItemSerializer, responses={201: CatalogueItemSerializer})
    def post(self, request):
        item = services.catalogue_item_create(actor=request.user, **_valid(CatalogueItemSerializer, request))
        return Response(CatalogueItemSerializer(item).data, status=status.HTTP_201_CREATED)


class CataloguePublish(APIView):
    @extend_schema(request=None, responses=CatalogueItemSerializer)
    def post(self, request, pk):
        item = services.catalogue_item_publish(actor=request.user, item_id=_get(CatalogueItem, pk, "目录项不存在。").pk)
        return Response(CatalogueItemSerializer(item).data)


class BudgetLineList(Paginated):
    """Budget lines: finance sees all, a department its own."""

    @extend_schema(responses=BudgetLineSerializer(many=True))
    def get(self, request):
        return self.page(selectors.budget_lines_visible_to(request.user).order_by("-year", "pk"), BudgetLineSerializer)

    @extend_schema(request=BudgetLineCreateSerializer, responses={201: BudgetLineSerializer})
    def post(self, request):
        data = _valid(BudgetLineCreateSerializer, request)
        department = Department.objects.filter(code=data["department"]).first()
        if department is None:
            raise RuleViolation("部门不存在。", fields={"department": ["部门不存在。"]})
        line = services.budget_line_create(actor=request.user, department=department, year=data["year"],
                                           item=_get(CatalogueItem, data["item"], "目录项不存在。"), amount=data["amount"])
        return Response(BudgetLineSerializer(line).data, status=status.HTTP_201_CREATED)


class TenderList(Paginated):
    """Tenders the caller may see: public ones, plus the caller's department's, finance's, panel's."""

    @extend_schema(responses=TenderSerializer(many=True))
    def get(self, request):
        qs = selectors.tenders_visible_to(request.user)
        if status_ := request.query_params.get("status"):
            qs = qs.filter(status=status_)
        return self.page(qs.order_by("-created_at", "-pk"), TenderSerializer)

    @extend_schema(request=TenderCreateSerializer, responses={201: TenderSerializer})
    def post(self, request):
        data = _valid(TenderCreateSerializer, request)
        department = Department.objects.filter(code=data.pop("department")).first()
        if department is None:
            raise RuleViolation("部门不存在。", fields={"department": ["部门不存在。"]})
        line = _get(BudgetLine, data.pop("budget_line"), "预算指标不存在。")
        item = _get(CatalogueItem, data.pop("catalogue_item"), "目录项不存在。")
        tender = services.tender_create(actor=request.user, department=department, budget_line=line,
                                        catalogue_item=item, **data)
        return Response(TenderSerializer(tender).data, status=status.HTTP_201_CREATED)


class TenderDetail(APIView):
    @extend_schema(responses=TenderSerializer)
    def get(self, request, reference):
        return Response(TenderSerializer(_tender(request, reference)).data)

    @extend_schema(request=TenderUpdateSerializer, responses=TenderSerializer)
    def patch(self, request, reference):
        """Correct a draft (department staff)."""
        tender = _tender(request, reference)
        data = dict(_valid(TenderUpdateSerializer, request))
        if "catalogue_item" in data:
            data["catalogue_item"] = _get(CatalogueItem, data["catalogue_item"], "目录项不存在。")
        if "budget_line" in data:
            data["budget_line"] = _get(BudgetLine, data["budget_line"], "预算指标不存在。")
        tender = services.tender_update(actor=request.user, tender_id=tender.pk, **data)
        return Response(TenderSerializer(tender).data)


class TenderCancel(APIView):
    @extend_schema(request=ProcurementReasonSerializer, responses=TenderSerializer)
    def post(self, request, reference):
        tender = _tender(request, reference)
        tender = services.tender_cancel(actor=request.user, tender_id=tender.pk,
                                        reason=_valid(ProcurementReasonSerializer, request)["reason"])
        return Response(TenderSerializer(tender).data)


class TenderBids(Paginated):
    """Bids on a tender: before the deadline only the caller's own (not even how many others,
    P4); afterwards staff see them all, a bidder its own."""

    @extend_schema(responses=BidSerializer(many=True))
    def get(self, request, reference):
        tender = _tender(request, reference)
        qs = selectors.bids_visible_to(request.user, tender).order_by("rank", "submitted_at", "pk")
        return self.page(qs, BidSerializer)


class TenderRanking(APIView):
    """The ranking recomputed from the score sheets (P5); once evaluation has concluded."""

    @extend_schema(responses=RankingRowSerializer(many=True))
    def get(self, request, reference):
        tender = _tender(request, reference)
        if not selectors.is_staff_view(request.user, tender):
            raise NotAllowed()
        return Response(RankingRowSerializer(selectors.concluded_ranking(tender), many=True).data)


class TenderScores(APIView):
    """The calling expert's declaration and score sheets, completing their own task (D3, P5)."""

    @extend_schema(request=ScoreSubmitSerializer, responses=TenderSerializer)
    def post(self, request, reference):
        tender = _tender(request, reference)
        route = TaskRoute.objects.open().filter(reference=tender.reference, node="score", owner=request.user).first()
        if route is None:
            raise NotAllowed("您没有该项目的评审任务。")
        task_complete(actor=request.user, task_id=route.pk, decision="submit", data=_valid(ScoreSubmitSerializer, request))
        return Response(TenderSerializer(Tender.objects.get(pk=tender.pk)).data)


class TenderRecusal(APIView):
    """A panel expert declares a conflict of interest and recuses before scoring (D3); the
    department head reassigns the scoring task (``/api/v1/tasks/<id>/reassign/``)."""

    @extend_schema(request=RecusalSerializer, responses={201: dict})
    def post(self, request, reference):
        tender = _tender(request, reference)
        services.expert_recuse(actor=request.user, tender_id=tender.pk,
                               statement=_valid(RecusalSerializer, request)["statement"])
        return Response({"detail": "已声明回避，等待采购部门负责人改派。"}, status=status.HTTP_201_CREATED)


class TenderComplaints(Paginated):
    @extend_schema(responses=ComplaintSerializer(many=True))
    def get(self, request, reference):
        tender = _tender(request, reference)
        return self.page(selectors.complaints_visible_to(request.user).filter(tender=tender), ComplaintSerializer)

    @extend_schema(request=ComplaintFileSerializer, responses={201: ComplaintSerializer})
    def post(self, request, reference):
        tender = _tender(request, reference)
        data = _valid(ComplaintFileSerializer, request)
        complaint = services.complaint_file(actor=request.user, tender_id=tender.pk,
                                            organization_id=data["organization"], text=data["text"])
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintAction(APIView):
    """answer (department), escalate (complainant), decide (finance)."""

    @extend_schema(request=ProcurementTextSerializer, responses=ComplaintSerializer)
    def post(self, request, pk, verb):
        if verb == "answer":
            c = services.complaint_answer(actor=request.user, complaint_id=pk, answer=_valid(ProcurementTextSerializer, request)["text"])
        elif verb == "escalate":
            c = services.complaint_escalate(actor=request.user, complaint_id=pk, reason=_valid(ProcurementTextSerializer, request)["text"])
        else:
            data = _valid(ComplaintDecideSerializer, request)
            c = services.complaint_decide(actor=request.user, complaint_id=pk, upheld=data["upheld"], decision=data["decision"])
        return Response(ComplaintSerializer(c).data)


class BidList(Paginated):
    """The caller's organizations' bids with where each stands; submit a new one."""

    @extend_schema(responses=BidSerializer(many=True))
    def get(self, request):
        return self.page(selectors.bids_of(request.user), BidSerializer)

    @extend_schema(request=BidSubmitSerializer, responses={201: BidSerializer})
    def post(self, request):
        data = _valid(BidSubmitSerializer, request)
        tender = _tender(request, data["tender"])
        bid = services.bid_submit(actor=request.user, tender_id=tender.pk, organization_id=data["organization"],
                                  price=data["price"], content=data["content"])
        return Response(BidSerializer(bid, context={"request": request}).data, status=status.HTTP_201_CREATED)


class BidAction(APIView):
    """withdraw or replace a bid before the deadline (409 after it)."""

    @extend_schema(request=BidReplaceSerializer, responses=BidSerializer)
    def post(self, request, pk, verb):
        if verb == "withdraw":
            bid = services.bid_withdraw(actor=request.user, bid_id=pk)
        else:
            data = _valid(BidReplaceSerializer, request)
            bid = services.bid_replace(actor=request.user, bid_id=pk, price=data["price"], content=data["content"])
        bid = Bid.objects.select_related("tender", "organization").get(pk=bid.pk)
        return Response(BidSerializer(bid, context={"request": request}).data)


class ContractList(Paginated):
    """Published contracts (P8) with milestones and payments."""

    @extend_schema(responses=ContractSerializer(many=True))
    def get(self, request):
        return self.page(selectors.contracts_visible_to(request.user).order_by("-signed_at"), ContractSerializer)


class TenderMilestones(APIView):
    @extend_schema(request=ContractMilestoneCreateSerializer, responses={201: ContractMilestoneSerializer})
    def post(self, request, reference):
        tender = _tender(request, reference)
        data = _valid(ContractMilestoneCreateSerializer, request)
        milestone = services.milestone_add(actor=request.user, tender_id=tender.pk, **data)
        return Response(ContractMilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneAccept(APIView):
    @extend_schema(request=None, responses=ContractMilestoneSerializer)
    def post(self, request, pk):
        return Response(ContractMilestoneSerializer(services.milestone_accept(actor=request.user, milestone_id=pk)).data)


class PaymentList(APIView):
    @extend_schema(request=PaymentRequestSerializer, responses={201: PaymentSerializer})
    def post(self, request):
        data = _valid(PaymentRequestSerializer, request)
        payment = services.payment_request(actor=request.user, milestone_id=data["milestone"], amount=data["amount"])
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


class PaymentAction(APIView):
    """approve or reject (finance reviewer, P8)."""

    @extend_schema(request=ProcurementReasonSerializer, responses=PaymentSerializer)
    def post(self, request, pk, verb):
        if verb == "approve":
            payment = services.payment_approve(actor=request.user, payment_id=pk)
        else:
            payment = services.payment_reject(actor=request.user, payment_id=pk,
                                              reason=_valid(ProcurementReasonSerializer, request)["reason"])
        return Response(PaymentSerializer(payment).data)


class TenderPerformance(APIView):
    @extend_schema(request=PerformanceSerializer, responses=TenderSerializer)
    def post(self, request, reference):
        tender = _tender(request, reference)
        data = _valid(PerformanceSerializer, request)
        tender = services.performance_evaluate(actor=request.user, tender_id=tender.pk, **data)
        return Response(TenderSerializer(tender).data)


class TenderRelease(APIView):
    """One tender's OCDS 1.1 release package (public once published, P10)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=dict)
    def get(self, request, reference):
        tender = ocds.public_tenders().filter(reference=reference).first()
        if tender is None:
            raise NotFound("采购项目不存在或尚未发布。")
        return Response(ocds.release_package([ocds.build_release(tender)], uri=request.build_absolute_uri()))


class ReleaseList(APIView):
    """The published list of releases: the current release of every public tender (P10).

    An OCDS 1.1 release package holds one release at least (``minItems: 1``; only OCDS 1.2
    drops that), and none may be made up: with nothing published yet the answer is a 404 with
    the code ``no_releases``, never a package that fails the schema."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=dict)
    def get(self, request):
        releases = [ocds.build_release(t) for t in ocds.public_tenders().order_by("published_at", "pk")]
        if not releases:
            raise NotFound("尚无已发布的采购项目。", code="no_releases")
        return Response(ocds.release_package(releases, uri=request.build_absolute_uri()))


UPLOAD_SCHEMA = extend_schema(
    request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    responses={201: dict},
)


class _Import(APIView):
    """Upload an XLSX or CSV file (field ``file``); all rows are written or none (finance)."""

    service = None

    @UPLOAD_SCHEMA
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise RuleViolation("请上传文件。", fields={"file": ["必填。"]})
        fmt = "csv" if upload.name.lower().endswith(".csv") else "xlsx"
        count = type(self).service(actor=request.user, content=upload.read(), fmt=fmt)
        return Response({"imported": count}, status=status.HTTP_201_CREATED)


class CatalogueImport(_Import):
    service = staticmethod(services.catalogue_import)

    @UPLOAD_SCHEMA
    def post(self, request):
        check_catalogue_authority(request.user)  # D1: the city-wide catalogue is the city 财政局's
        return super().post(request)


class BudgetLineImport(_Import):
    service = staticmethod(services.budget_import)


class ResultsExport(APIView):
    """Tender results as XLSX for the caller's scope (no sealed price ever appears)."""

    @extend_schema(responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes})
    def get(self, request):
        from .resources import results_xlsx

        tenders = selectors.tenders_visible_to(request.user).order_by("-created_at", "-pk")
        response = HttpResponse(
            results_xlsx(tenders, request.user),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="procurement-results.xlsx"'
        return response
