"""API v1 of documents under ``/api/v1/documents/`` (issue #9), in the engine's error format:

- ``GET cases/<reference>/``: the case's documents the caller may list (404 for a case the
  caller may not see), ``POST`` the same path (multipart ``kind`` + ``files``, optionally
  ``subject_type`` + ``subject_id``: the object of the case they are about) to upload;
- ``GET <id>/download/[?version=n]``: the file (the latest version by default);
- ``POST <id>/versions/`` (multipart ``file``): a new version; ``POST <id>/withdraw/``.
"""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from engine.api.generic import ListView, ProcessView, valid
from engine.cases.errors import NotFound

from . import access, services
from .detection import BY_MIME
from .download import file_response, version_of
from .serializers import (
    DocumentReplaceSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    DocumentWithdrawSerializer,
)


def _case(user, reference):
    case = access.case_for_reference(reference)
    if case is None or access.case_access_for(user, case) is None:
        raise NotFound(_("No such case."))
    return case


class CaseDocuments(ListView):
    """The documents of one case that the caller may see (sealed ones only to the organization
    that handed them in), each with its versions; POST uploads new documents of one kind."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]

    def visible(self, user):
        return access.visible_documents(user, _case(user, self.kwargs["reference"]))

    def filter(self, queryset, params):
        if params.get("kind"):
            queryset = queryset.filter(kind=params["kind"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("subject_type") and str(params.get("subject_id", "")).isdigit():
            label = params["subject_type"].split(".", 1)
            queryset = queryset.filter(subject_type__app_label=label[0], subject_type__model=label[-1],
                                       subject_id=int(params["subject_id"]))
        return queryset

    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("status", str, enum=["current", "withdrawn"]),
                               OpenApiParameter("subject_type", str), OpenApiParameter("subject_id", int)],
                   responses=DocumentSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses={201: DocumentSerializer(many=True)})
    def post(self, request, reference):
        data = valid(DocumentUploadSerializer, request)
        case = _case(request.user, reference)
        subject = access.resolve_subject(request.user, case, data["kind"], data["subject_type"], data["subject_id"])
        documents = services.document_upload(actor=request.user, case=case, kind=data["kind"], files=data["files"],
                                             subject=subject)
        shown = access.visible_documents(request.user, case).filter(pk__in=[d.pk for d in documents])
        return Response(DocumentSerializer(shown, many=True, context=self.serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# the file as stored: one of the accepted types (detected from its bytes when uploaded)
DOWNLOAD_TYPES = sorted(BY_MIME)


class DocumentDownload(ProcessView):
    """The file of a document the caller may see: the latest version, or ``?version=n``."""

    @extend_schema(parameters=[OpenApiParameter("version", int)],
                   responses={(200, mime): OpenApiResponse(OpenApiTypes.BINARY) for mime in DOWNLOAD_TYPES})
    def get(self, request, pk):
        return file_response(version_of(request.user, pk, request.query_params.get("version")))


class DocumentVersions(ProcessView):
    """Replace a document's file: a new version; the earlier ones stay."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": DocumentReplaceSerializer}, responses={201: DocumentSerializer})
    def post(self, request, pk):
        data = valid(DocumentReplaceSerializer, request)
        document, _case, _access = access.visible_document(request.user, pk)
        services.document_replace(actor=request.user, document=document, file=data["file"])
        document, _case, _access = access.visible_document(request.user, pk)
        return self.answer(document, status=status.HTTP_201_CREATED)


class DocumentWithdraw(ProcessView):
    """Withdraw a document: it stays on the case, with its versions, marked withdrawn."""

    serializer_class = DocumentSerializer

    @extend_schema(request=DocumentWithdrawSerializer, responses=DocumentSerializer)
    def post(self, request, pk):
        data = valid(DocumentWithdrawSerializer, request)
        document, _case, _access = access.visible_document(request.user, pk)
        services.document_withdraw(actor=request.user, document=document, reason=data["reason"])
        document, _case, _access = access.visible_document(request.user, pk)
        return self.answer(document)
