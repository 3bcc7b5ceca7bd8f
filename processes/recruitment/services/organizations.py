"""When an organization merges or dissolves (the engine's ``organization_ended`` hook)."""
from django.utils.translation import gettext as _

from ..models import Recruitment
from .recruitments import recruitment_end


def organization_ended(organization_id):
    """Its open recruitments close, and their tasks with them: nobody is left to select or to
    run the activity (R9 moves records and certificates, not calls for volunteers)."""
    reason = _("The organization was merged or dissolved")
    open_ones = Recruitment.objects.filter(activity__organization_id=organization_id, status=Recruitment.Status.OPEN)
    for pk in open_ones.values_list("pk", flat=True):
        recruitment_end(recruitment_id=pk, reason=reason)
