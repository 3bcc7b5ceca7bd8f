"""API v1 endpoints of the time bank (under /api/v1/timebank/)."""
from django.urls import path

from . import api

urlpatterns = [
    path("account/", api.AccountView.as_view(), name="timebank-account"),
    path("account/entries/", api.StatementList.as_view(), name="timebank-statement"),
    path("services/", api.ServiceList.as_view(), name="timebank-services"),
    path("services/<int:pk>/withdraw/", api.ServiceWithdraw.as_view(), name="timebank-service-withdraw"),
    path("services/<int:pk>/redeem/", api.ServiceRedeem.as_view(), name="timebank-service-redeem"),
    path("redemptions/", api.RedemptionList.as_view(), name="timebank-redemptions"),
    path("redemptions/<str:reference>/decide/", api.RedemptionDecide.as_view(), name="timebank-redemption-decide"),
    path("transfers/", api.TransferCreate.as_view(), name="timebank-transfers"),
]
