"""How documents read in the API."""
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Document, DocumentVersion
from .policy import policy_for


class DocumentVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.display_name", read_only=True)
    download = serializers.SerializerMethodField(help_text=_("Where this version is downloaded."))

    class Meta:
        model = DocumentVersion
        fields = ["number", "original_name", "size", "sha256", "content_type", "uploaded_by", "uploaded_at", "download"]

    def get_download(self, version) -> str:
        return reverse("api-document-download", args=[version.document_id]) + f"?version={version.number}"


class DocumentSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="reference", read_only=True)
    kind_label = serializers.SerializerMethodField()
    organization = serializers.CharField(source="organization.name", default=None, allow_null=True, read_only=True)
    subject_type = serializers.SerializerMethodField(
        help_text=_("The type of the object of the case the document is about (e.g. procurement.milestone), or null."))
    subject_id = serializers.IntegerField(read_only=True, allow_null=True,
                                          help_text=_("The number of the object the document is about, or null."))
    versions = DocumentVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = ["id", "case", "kind", "kind_label", "subject_type", "subject_id", "status", "organization",
                  "latest_number", "created_at", "withdrawn_at", "withdraw_reason", "versions"]

    def get_kind_label(self, document) -> str:
        return policy_for(document.process_name).label(document.kind)

    def get_subject_type(self, document) -> str | None:
        if document.subject_type_id is None:
            return None
        return ContentType.objects.get_for_id(document.subject_type_id).model_class()._meta.label_lower


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=32, help_text=_("The kind of document, from the case's process."))
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                  help_text=_("One or more files (multipart, the field repeated)."))
    subject_type = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text=_(
        "Optional: the type of the object of the case the documents are about (e.g. procurement.milestone), "
        "one the process allows for this kind; with subject_id."))
    subject_id = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                          help_text=_("Optional: the number of that object; with subject_type."))


class DocumentReplaceSerializer(serializers.Serializer):
    file = serializers.FileField()


class DocumentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
