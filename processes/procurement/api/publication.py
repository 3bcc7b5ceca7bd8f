"""What procurement publishes: OCDS 1.1 releases (public, P10) and the results export."""
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from engine.api.generic import XLSX_TYPE, ProcessView, visible_or_404, xlsx_response
from engine.cases.errors import NotFound

from .. import ocds, selectors
from ..resources import results_xlsx


class TenderRelease(ProcessView):
    """One tender's OCDS 1.1 release package (public once published, P10)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=dict)
    def get(self, request, reference):
        tender = visible_or_404(ocds.public_tenders(), _("No such tender, or not published yet."), reference=reference)
        ocds.attach_documents([tender])
        release = ocds.build_release(tender, base_url=request.build_absolute_uri("/"))
        return Response(ocds.release_package([release], uri=request.build_absolute_uri()))


class ReleaseList(ProcessView):
    """The published list of releases: the current release of every public tender (P10).

    An OCDS 1.1 release package holds one release at least (``minItems: 1``; only OCDS 1.2
    drops that), and none may be made up: with nothing published yet the answer is a 404 with
    the code ``no_releases``, never a package that fails the schema."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=dict)
    def get(self, request):
        base_url = request.build_absolute_uri("/")
        releases = [ocds.build_release(t, base_url=base_url)
                    for t in ocds.attach_documents(ocds.public_tenders().order_by("published_at", "pk"))]
        if not releases:
            raise NotFound(_("No tender has been published yet."), code="no_releases")
        return Response(ocds.release_package(releases, uri=request.build_absolute_uri()))


class ResultsExport(ProcessView):
    """Tender results as XLSX for the caller's scope (no sealed price ever appears)."""

    @extend_schema(responses={(200, XLSX_TYPE): bytes})
    def get(self, request):
        tenders = selectors.tenders_visible_to(request.user).order_by("-created_at", "-pk")
        return xlsx_response(results_xlsx(tenders, request.user), "procurement-results.xlsx")
