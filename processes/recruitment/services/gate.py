"""Certification's sign-in asks this (``apps.RecruitmentConfig.signin_check``): at an activity
with a recruitment that is not cancelled only the volunteers selected for it sign in (seed
二(一): the organization selects who serves)."""
from django.db.models import F
from django.utils.translation import gettext as _

from engine.cases.errors import RuleViolation

from ..models import Recruitment, SignUp


def signin_allowed(*, volunteer, activity) -> None:
    recruitment = Recruitment.objects.filter(activity=activity).exclude(status=Recruitment.Status.CANCELLED).first()
    if recruitment is None:
        return
    if not SignUp.objects.filter(slot__recruitment=recruitment, volunteer=volunteer,
                                 status=SignUp.Status.SELECTED).exists():
        raise RuleViolation(_("Only volunteers selected in this activity's recruitment can sign in."),
                            code="not_selected")


def selected_volunteers(activity_ids):
    """The volunteers selected in the recruitments of the activities ``activity_ids``, as
    ``{"activity", "volunteer"}`` rows: certification counts them among the participants a
    dangerous activity's accident insurance must cover (seed 二(三), PR1)."""
    return (SignUp.objects.filter(slot__recruitment__activity_id__in=activity_ids, status=SignUp.Status.SELECTED)
            .exclude(slot__recruitment__status=Recruitment.Status.CANCELLED)
            .values("volunteer", activity=F("slot__recruitment__activity")))


def volunteers_signed_up_with(organization_ids):
    """Who signed up for one of the organizations' recruitments, as ``{"organization",
    "volunteer"}`` rows: they turned to it with their details, so its forms may name them
    (certification's ``acquaintance_rows``)."""
    return SignUp.objects.filter(slot__recruitment__activity__organization_id__in=organization_ids).values(
        "volunteer", organization=F("slot__recruitment__activity__organization"))
