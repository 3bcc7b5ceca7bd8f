from django.urls import path

from . import selectors, views

app_name = "portal-notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(audience=selectors.PORTAL), name="index"),
    path("read/", views.MarkReadView.as_view(audience=selectors.PORTAL), name="read"),
    path("preferences/", views.PreferencesView.as_view(audience=selectors.PORTAL), name="preferences"),
]
