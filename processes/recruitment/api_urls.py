"""API v1 endpoints of this process (under /api/v1/recruitment/)."""
from django.urls import path

from . import api

urlpatterns = [
    path("recruitments/", api.RecruitmentList.as_view(), name="recruitment-list"),
    path("recruitments/<int:pk>/", api.RecruitmentDetail.as_view(), name="recruitment-detail"),
    path("recruitments/<int:pk>/signups/", api.RecruitmentSignUps.as_view(), name="recruitment-signups"),
    path("recruitments/<int:pk>/answers/", api.RecruitmentAnswers.as_view(), name="recruitment-answers"),
    path("recruitments/<int:pk>/answer/", api.RecruitmentAnswer.as_view(), name="recruitment-answer"),
    path("recruitments/<int:pk>/<str:action>/", api.RecruitmentAction.as_view(), name="recruitment-action"),
    path("slots/<int:pk>/sign-up/", api.SlotSignUp.as_view(), name="recruitment-slot-sign-up"),
    path("slots/<int:pk>/on-spot/", api.SlotOnSpot.as_view(), name="recruitment-slot-on-spot"),
    path("signups/", api.SignUpList.as_view(), name="recruitment-signups-mine"),
    path("signups/<int:pk>/<str:action>/", api.SignUpAction.as_view(), name="recruitment-signup-action"),
    path("calls/", api.CallList.as_view(), name="recruitment-calls"),
    path("profile/", api.Profile.as_view(), name="recruitment-profile"),
    path("skills/", api.SkillList.as_view(), name="recruitment-skills"),
    path("activity-types/", api.ActivityTypeList.as_view(), name="recruitment-activity-types"),
]
