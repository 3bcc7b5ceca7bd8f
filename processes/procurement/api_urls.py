"""API v1 endpoints of this process."""
urlpatterns = []
