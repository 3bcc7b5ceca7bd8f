from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("organizations", api.OrganizationViewSet, basename="organization")

urlpatterns = router.urls
