"""API v1: the contract for organizations' systems and apps."""
from django.db import transaction
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.api_not_found import api_not_found
from engine.api import views as api_views

urlpatterns = [
    # read-only: no request transaction around them
    path("schema/", transaction.non_atomic_requests(SpectacularAPIView.as_view()), name="api-schema"),
    path("docs/", transaction.non_atomic_requests(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
         name="api-docs"),
    path("auth/token/", api_views.ObtainToken.as_view(), name="api-token"),
    path("auth/logout/", api_views.RevokeToken.as_view(), name="api-logout"),
    path("me/", api_views.Me.as_view(), name="api-me"),
    path("", include("engine.directory.api_urls")),
    path("", include("engine.cases.api_urls")),
    path("", include("engine.notifications.api_urls")),
    path("", include("engine.imports.api_urls")),
    path("", include("engine.documents.api_urls")),
    path("incubation/", include("processes.incubation.api_urls")),
    path("procurement/", include("processes.procurement.api_urls")),
    path("certification/", include("processes.certification.api_urls")),
    path("timebank/", include("processes.timebank.api_urls")),
    path("recruitment/", include("processes.recruitment.api_urls")),
    re_path(r"^.*$", api_not_found),  # last: anything unmatched under /api/v1/
]
