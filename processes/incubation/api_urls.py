"""API v1 endpoints of this process (mounted at /api/v1/incubation/)."""
from django.urls import path, re_path

from . import api

APPLICATION = r"^applications/(?P<reference>FH-\d{4}-\d{6})/"


def _application(suffix, view, name):
    return re_path(f"{APPLICATION}{suffix}$", view.as_view(), name=f"incubation-application-{name}")


urlpatterns = [
    path("exports/roster.xlsx", api.RosterExport.as_view(), name="incubation-export-roster"),
    path("exports/projects.xlsx", api.ProjectLibraryExport.as_view(), name="incubation-export-projects"),
    path("applications/", api.ApplicationList.as_view(), name="incubation-application-list"),
    _application("", api.ApplicationDetail, "detail"),
    _application("submit/", api.ApplicationSubmit, "submit"),
    _application("withdraw/", api.ApplicationWithdraw, "withdraw"),
    _application("accept-agreement/", api.AgreementAccept, "accept-agreement"),
    _application("self-evaluation/", api.SelfEvaluation, "self-evaluation"),
    _application("score/", api.ApplicationScore, "score"),
    _application("declare-conflict/", api.ConflictDeclaration, "declare-conflict"),
    _application("milestones/", api.ApplicationMilestones, "milestones"),
    _application("nominations/", api.ApplicationNominations, "nominations"),
    path("nominations/", api.NominationList.as_view(), name="incubation-nomination-list"),
    re_path(r"^nominations/(?P<pk>\d+)/decide/$", api.NominationDecide.as_view(), name="incubation-nomination-decide"),
]
