"""Imports over the API: preview (dry run), submit, and watch a job's progress."""
from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.cases.errors import NotAllowed, NotFound

from . import registry
from .models import ImportJob
from .services import ImportRefused, check_upload_size, preview_import, submit_import


def may_import(user, resource_class) -> bool:
    """A resource may say who imports it (``can_import(user)``); otherwise administrators."""
    check = getattr(resource_class, "can_import", None)
    if check is not None:
        return bool(check(user))
    return user.is_superuser or user.is_staff


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ImportJob
        fields = ["id", "resource", "original_name", "status", "status_display", "total_rows",
                  "processed_rows", "percent", "created_count", "updated_count", "skipped_count",
                  "error_report", "error_count", "created_at", "started_at", "finished_at"]


class ImportUpload(APIView):
    """Upload a CSV (UTF-8 or GBK) or XLSX file. ``dry_run`` returns the row-numbered preview
    and writes nothing; otherwise the import runs (large files in the background) and the
    answer is its job, to poll at ``/api/v1/imports/jobs/<id>/``. A file refused as a whole
    (too large: 413; unreadable or over a row, column or cell limit: 400) writes nothing."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = UploadSerializer

    def post(self, request, resource):
        try:
            resource_class = registry.get(resource)
        except registry.UnknownResource as exc:
            raise NotFound(str(exc)) from None
        if not may_import(request.user, resource_class):
            raise NotAllowed(_("You are not allowed to import this kind of data."))
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        check_upload_size(upload.size)
        if serializer.validated_data["dry_run"]:
            report = preview_import(resource, upload, upload.name, user=request.user)
            if report.errors and report.errors[0]["row"] is None:
                raise ImportRefused(report.errors[0]["message"])  # the file as a whole
            return Response(report.as_dict(), status=status.HTTP_200_OK)
        job = submit_import(resource, upload, upload.name, user=request.user)
        return Response(ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ImportJobDetail(APIView):
    """A job's progress: processed rows of total, and its row errors when it failed."""

    serializer_class = ImportJobSerializer

    def get(self, request, pk):
        job = ImportJob.objects.filter(pk=pk).first()
        if job is None or (job.created_by_id != request.user.pk and not request.user.is_superuser):
            raise NotFound(_("No such import job."))
        return Response(ImportJobSerializer(job).data)
