"""A volunteer's own matching details: skills and whether emergency calls reach them (seed 二(一))."""
from django.db import transaction
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed
from processes.certification.models import Volunteer
from processes.certification.selectors import volunteer_for

from ..models import VolunteerProfile


@transaction.atomic
def profile_save(*, actor, skills, emergency_available: bool) -> VolunteerProfile:
    """Only the volunteer themself sets their skills and availability."""
    volunteer = volunteer_for(actor)
    if volunteer is None:
        raise NotAllowed(_("Register as a volunteer first."))
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    profile, _created = VolunteerProfile.objects.get_or_create(volunteer=volunteer)
    profile.emergency_available = bool(emergency_available)
    profile.save(update_fields=["emergency_available"])
    profile.skills.set(skills)
    audit_record(actor=actor, action="recruitment.profile", obj=profile, reference=volunteer.volunteer_number,
                 after={"skills": sorted(s.name for s in skills), "emergency_available": profile.emergency_available})
    return profile
