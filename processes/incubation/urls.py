"""Pages of this process outside the staff workbench: the organization's portal actions."""
from django.urls import path

from . import portal

app_name = "incubation_portal"
urlpatterns = [
    path("apply/", portal.apply, name="apply"),
    path("<str:reference>/submit/", portal.submit, name="submit"),
    path("<str:reference>/update/", portal.update, name="update"),
    path("<str:reference>/documents/", portal.documents, name="documents"),
    path("<str:reference>/withdraw/", portal.withdraw, name="withdraw"),
    path("<str:reference>/self-evaluation/", portal.self_evaluation, name="self_evaluation"),
    path("<str:reference>/accept-agreement/", portal.accept_agreement, name="accept_agreement"),
]
