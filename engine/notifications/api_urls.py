from django.urls import path

from . import api

urlpatterns = [
    path("notifications/", api.NotificationList.as_view(), name="notification-list"),
    path("notifications/read/", api.NotificationMarkRead.as_view(), name="notification-read"),
    path("notifications/read-all/", api.NotificationMarkAllRead.as_view(), name="notification-read-all"),
]
