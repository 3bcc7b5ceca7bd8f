"""Pages of this process outside the staff workbench (portal, public)."""
from django.db import transaction
from django.urls import path

from . import portal, portal_protection, portal_records, views, views_students

app_name = "certification"
urlpatterns = [
    # public and read-only (a report is filed by its own atomic service): no request transaction
    path("verify/", transaction.non_atomic_requests(views.verify_page), name="verify"),
    path("certificates/<str:number>/pdf/", views.certificate_pdf_view, name="certificate-pdf"),
    path("register.xlsx", views.register_export, name="register-export"),
    path("students/", views_students.student_credits_page, name="students"),
    path("national/", views_students.national_page, name="national"),
    path("national/<str:kind>.csv", views_students.national_download, name="national-download"),
    path("portal/student/", views_students.portal_student, name="portal-student"),
    path("portal/register/", portal.portal_register, name="portal-register"),
    path("portal/claim-code/", portal.portal_claim_code, name="portal-claim-code"),
    path("portal/request/", portal.portal_request, name="portal-request"),
    path("portal/dispute/", portal.portal_dispute, name="portal-dispute"),
    path("portal/disputes/<str:reference>/appeal/", portal.portal_appeal, name="portal-appeal"),
    path("portal/disputes/<str:reference>/documents/", portal.portal_dispute_documents, name="portal-dispute-documents"),
    path("portal/tasks/<int:task_id>/", portal.portal_decide, name="portal-decide"),
    path("portal/activities/", portal_records.portal_activity, name="portal-activity"),
    path("portal/activities/<int:activity_id>/risk/", portal_protection.portal_risk, name="portal-risk"),
    path("portal/activities/<int:activity_id>/roster/", portal_protection.portal_roster, name="portal-roster"),
    path("portal/activities/<int:activity_id>/roster/remove/", portal_protection.portal_roster_remove,
         name="portal-roster-remove"),
    path("portal/activities/<int:activity_id>/start/", portal_protection.portal_start, name="portal-start"),
    path("portal/insurance/", portal_protection.portal_insurance, name="portal-insurance"),
    path("portal/activities/<int:activity_id>/<str:action>/", portal_records.portal_sign, name="portal-sign"),
    path("portal/records/", portal_records.portal_record_enter, name="portal-record-enter"),
    path("portal/records/approve/", portal_records.portal_records_approve, name="portal-records-approve"),
    path("portal/records/<int:record_id>/evidence/", portal.portal_record_evidence, name="portal-record-evidence"),
    path("portal/records/<int:record_id>/<str:action>/", portal_records.portal_record, name="portal-record"),
]
