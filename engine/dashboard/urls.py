"""Dashboard pages outside the workbench: the public figures and an organization's own."""
from django.urls import path

from . import views

app_name = "public_dashboard"

urlpatterns = [
    path("", views.PublicDashboardView.as_view(), name="index"),
    path("organization/", views.OrganizationDashboardView.as_view(), name="organization"),
]
