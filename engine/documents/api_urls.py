"""API v1 endpoints of documents (mounted at /api/v1/)."""
from django.urls import path

from . import api

urlpatterns = [
    path("documents/cases/<str:reference>/", api.CaseDocuments.as_view(), name="api-case-documents"),
    path("documents/<int:pk>/download/", api.DocumentDownload.as_view(), name="api-document-download"),
    path("documents/<int:pk>/versions/", api.DocumentVersions.as_view(), name="api-document-versions"),
    path("documents/<int:pk>/withdraw/", api.DocumentWithdraw.as_view(), name="api-document-withdraw"),
]
