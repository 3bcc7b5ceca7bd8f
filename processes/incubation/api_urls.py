"""API v1 endpoints of this process (mounted at /api/v1/incubation/)."""
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("applications", api.ApplicationViewSet, basename="incubation-application")
router.register("nominations", api.NominationViewSet, basename="incubation-nomination")

urlpatterns = router.urls
