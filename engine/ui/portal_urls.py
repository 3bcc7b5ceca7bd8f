from django.urls import path

from . import portal

app_name = "portal"

urlpatterns = [
    path("", portal.index, name="index"),
    path("account/", portal.account, name="account"),
    path("<slug:process>/", portal.section, name="section"),
]
