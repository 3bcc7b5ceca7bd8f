"""Pages of this process outside the staff workbench (public list, a recruitment's page, forms)."""
from django.db import transaction
from django.urls import path

from . import portal, views

app_name = "recruitment"
urlpatterns = [
    # public and read-only: no request transaction around it
    path("", transaction.non_atomic_requests(views.public_list), name="list"),
    path("new/", views.publish, name="publish"),
    path("portal/profile/", portal.portal_profile, name="portal-profile"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/slots/<int:slot_id>/sign-up/", views.slot_sign_up, name="sign-up"),
    path("<int:pk>/slots/<int:slot_id>/on-spot/", views.on_spot, name="on-spot"),
    path("<int:pk>/signups/<int:signup_id>/<str:action>/", views.signup_action, name="signup-action"),
    path("<int:pk>/<str:action>/", views.recruitment_action, name="action"),
]
