"""API v1 endpoints of this process (mounted at /api/v1/incubation/)."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("applications", api.ApplicationViewSet, basename="incubation-application")
router.register("nominations", api.NominationViewSet, basename="incubation-nomination")

urlpatterns = [
    path("exports/roster.xlsx", api.RosterExport.as_view(), name="incubation-export-roster"),
    path("exports/projects.xlsx", api.ProjectLibraryExport.as_view(), name="incubation-export-projects"),
    *router.urls,
]
