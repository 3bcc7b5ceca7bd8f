"""The guiding catalogue and budget lines (finance maintains, P1), with their file imports."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from engine.api.generic import ListView, ProcessView, valid
from engine.cases.errors import RuleViolation

from .. import selectors, services
from ..models import CatalogueItem
from ..serializers import BudgetLineCreateSerializer, BudgetLineSerializer, CatalogueItemSerializer
from ..services.catalogue import check_catalogue_authority
from .lookups import catalogue_item_by_id, department_by_code


class CatalogueList(ListView):
    """The guiding catalogue; finance adds items (P1)."""

    serializer_class = CatalogueItemSerializer

    def visible(self, user):
        return CatalogueItem.objects.order_by("-year", "code")

    def filter(self, queryset, params):
        if year := params.get("year"):
            if not year.isdigit():
                raise RuleViolation(_("The year must be a number."), fields={"year": [_("The year must be a number.")]})
            queryset = queryset.filter(year=int(year))
        return queryset

    @extend_schema(request=CatalogueItemSerializer, responses={201: CatalogueItemSerializer})
    def post(self, request):
        item = services.catalogue_item_create(actor=request.user, **valid(CatalogueItemSerializer, request))
        return self.answer(item, status=status.HTTP_201_CREATED)


class CataloguePublish(ProcessView):
    serializer_class = CatalogueItemSerializer

    @extend_schema(request=None, responses=CatalogueItemSerializer)
    def post(self, request, pk):
        return self.answer(services.catalogue_item_publish(actor=request.user, item_id=catalogue_item_by_id(pk).pk))


class BudgetLineList(ListView):
    """Budget lines: finance sees all, a department its own."""

    serializer_class = BudgetLineSerializer

    def visible(self, user):
        return selectors.budget_lines_visible_to(user).order_by("-year", "pk")

    @extend_schema(request=BudgetLineCreateSerializer, responses={201: BudgetLineSerializer})
    def post(self, request):
        data = valid(BudgetLineCreateSerializer, request)
        department = department_by_code(data["department"])
        line = services.budget_line_create(actor=request.user, department=department, year=data["year"],
                                           item=catalogue_item_by_id(data["item"]), amount=data["amount"])
        return self.answer(line, status=status.HTTP_201_CREATED)


UPLOAD_SCHEMA = extend_schema(
    request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    responses={201: dict},
)


class _Import(ProcessView):
    """Upload an XLSX or CSV file (field ``file``); all rows are written or none (finance)."""

    service = None

    @UPLOAD_SCHEMA
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise RuleViolation(_("Please upload a file."), fields={"file": [_("Required.")]})
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
