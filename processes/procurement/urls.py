"""Pages of this process outside the staff workbench: the organization's bid form."""
from django.urls import path

from . import portal

app_name = "procurement_portal"
urlpatterns = [
    path("tenders/<str:reference>/bid/", portal.bid_form, name="bid"),
]
