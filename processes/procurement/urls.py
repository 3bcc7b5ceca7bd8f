"""Pages of this process outside the staff workbench: the public tender notices with their
enquiries, and the organization's bid form, complaints and payment requests (forms on the
portal post here)."""
from django.urls import path

from . import portal, public

app_name = "procurement_portal"
urlpatterns = [
    path("tenders/", public.notice_list, name="tenders"),
    path("tenders/<str:reference>/", public.notice_detail, name="tender"),
    path("tenders/<str:reference>/bid/", portal.bid_form, name="bid"),
    path("tenders/<str:reference>/complaint/", portal.complaint, name="complaint"),
    path("milestones/<int:milestone_id>/payment/", portal.payment_request, name="payment"),
    path("milestones/<int:milestone_id>/documents/", portal.milestone_documents, name="milestone_documents"),
    path("tenders/<str:reference>/documents/", portal.tender_documents, name="documents"),
    path("tenders/<str:reference>/documents/<int:pk>/", portal.tender_document, name="tender_document"),
]
