"""API v1 endpoints of this process (under /api/v1/certification/)."""
from django.db import transaction
from django.urls import path

from . import api, api_protection, api_students

urlpatterns = [
    path("volunteers/", api.VolunteerList.as_view(), name="certification-volunteers"),
    path("volunteers/claim/", api.VolunteerClaim.as_view(), name="certification-volunteer-claim"),
    path("volunteers/<int:pk>/claim-code/", api.VolunteerClaimCode.as_view(), name="certification-volunteer-claim-code"),
    path("activities/", api.ActivityList.as_view(), name="certification-activities"),
    path("activities/<int:pk>/participants/", api_protection.ActivityParticipants.as_view(),
         name="certification-activity-participants"),
    path("activities/<int:pk>/participants/<int:volunteer>/remove/", api_protection.ActivityParticipantRemove.as_view(),
         name="certification-activity-participant-remove"),
    path("activities/<int:pk>/cover/", api_protection.ActivityCover.as_view(), name="certification-activity-cover"),
    path("activities/<int:pk>/risk/", api_protection.ActivityRisk.as_view(), name="certification-activity-risk"),
    path("activities/<int:pk>/start/", api_protection.ActivityStart.as_view(), name="certification-activity-start"),
    path("activities/<int:pk>/<str:action>/", api.ActivitySign.as_view(), name="certification-activity-sign"),
    path("records/", api.RecordList.as_view(), name="certification-records"),
    path("records/bulk-approve/", api.RecordBulkApprove.as_view(), name="certification-records-bulk-approve"),
    path("records/<int:pk>/<str:action>/", api.RecordAction.as_view(), name="certification-record-action"),
    path("insurance/", api_protection.PolicyList.as_view(), name="certification-insurance"),
    path("commendations/", api_protection.CommendationList.as_view(), name="certification-commendations"),
    path("commendations/<int:pk>/revoke/", api_protection.CommendationRevoke.as_view(),
         name="certification-commendation-revoke"),
    path("me/", api.Me.as_view(), name="certification-me"),
    path("requests/", api.RequestList.as_view(), name="certification-requests"),
    path("requests/<str:reference>/", api.RequestDetail.as_view(), name="certification-request"),
    path("requests/<str:reference>/decide/", api.RequestDecide.as_view(), name="certification-request-decide"),
    path("requests/<str:reference>/withdraw/", api.RequestWithdraw.as_view(), name="certification-request-withdraw"),
    path("certificates/", api.CertificateList.as_view(), name="certification-certificates"),
    path("certificates/<str:number>/", api.CertificateDetail.as_view(), name="certification-certificate"),
    path("certificates/<str:number>/revoke/", api.CertificateRevoke.as_view(), name="certification-certificate-revoke"),
    path("disputes/", api.DisputeList.as_view(), name="certification-disputes"),
    path("disputes/<str:reference>/decide/", api.DisputeDecide.as_view(), name="certification-dispute-decide"),
    path("disputes/<str:reference>/appeal/", api.DisputeAppeal.as_view(), name="certification-dispute-appeal"),
    path("students/", api_students.StudentCreditList.as_view(), name="certification-students"),
    path("students/<int:pk>/", api_students.StudentCreditDetail.as_view(), name="certification-student"),
    path("schools/", api_students.SchoolList.as_view(), name="certification-schools"),
    path("me/student/", api_students.MyStudentProfile.as_view(), name="certification-me-student"),
    path("me/student/withdraw-consent/", api_students.MyStudentConsentWithdraw.as_view(),
         name="certification-me-student-withdraw"),
    path("national/<str:kind>/", api_students.NationalExport.as_view(), name="certification-national"),
    # public reads: no request transaction around them
    path("verify/", transaction.non_atomic_requests(api.Verify.as_view()), name="certification-verify"),
    path("public-key/", transaction.non_atomic_requests(api.PublicKey.as_view()), name="certification-public-key"),
    path("reports/", api.Report.as_view(), name="certification-reports"),
]
