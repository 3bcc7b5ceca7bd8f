"""When an organization merges or dissolves (the engine's ``organization_ended`` hook)."""
from django.db import transaction

from ..models import Recruitment


def organization_ended(organization_id):
    """Its open recruitments close: nobody is left to select or to run the activity (R9 moves
    records and certificates, not calls for volunteers)."""
    with transaction.atomic():
        for recruitment in Recruitment.objects.select_for_update().filter(
                activity__organization_id=organization_id, status=Recruitment.Status.OPEN):
            recruitment.close()
            recruitment.save(update_fields=["status"])
