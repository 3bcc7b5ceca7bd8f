"""Pages of the time bank outside the staff workbench (public catalogue, portal forms)."""
from django.db import transaction
from django.urls import path

from . import portal, views

app_name = "timebank-public"
urlpatterns = [
    path("services/", transaction.non_atomic_requests(views.catalogue), name="catalogue"),
    path("portal/services/", portal.portal_service_publish, name="portal-service-publish"),
    path("portal/services/<int:service_id>/withdraw/", portal.portal_service_withdraw, name="portal-service-withdraw"),
    path("portal/services/<int:service_id>/redeem/", portal.portal_redeem, name="portal-redeem"),
    path("portal/redemptions/<str:reference>/<str:action>/", portal.portal_redemption, name="portal-redemption"),
    path("portal/transfer/", portal.portal_transfer, name="portal-transfer"),
]
