"""Emergency recruitment (seed 二(一) 应急性招募): pushed through the notification channels to
registered volunteers who match — district, skills, available for emergency calls — and
answered within the recruitment's window; the answers are counted live (``selectors.call_counts``)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engine.audit.services import audit_record
from engine.cases.errors import NotFound, RuleViolation, StateConflict
from engine.notifications.services import Text, notify
from processes.certification.selectors import volunteer_for

from ..models import EmergencyCall, Recruitment, SignUp, VolunteerProfile
from .signups import signup_create


def matching_profiles(recruitment):
    """Volunteers with an account who take emergency calls, live in the recruitment's district
    (when it names one) and have at least one of its skills (when it asks for any)."""
    profiles = VolunteerProfile.objects.filter(emergency_available=True, volunteer__user__is_active=True)
    if recruitment.district_id:
        profiles = profiles.filter(volunteer__district_id=recruitment.district_id)
    skill_ids = list(recruitment.skills.values_list("pk", flat=True))
    if skill_ids:
        profiles = profiles.filter(skills__in=skill_ids)
    return profiles.select_related("volunteer__user").distinct()


def push_emergency(recruitment) -> int:
    """Send the call to every match (inside the publishing transaction; mail and text after the
    commit). Returns how many were called."""
    profiles = list(matching_profiles(recruitment))
    now = timezone.now()
    EmergencyCall.objects.bulk_create([EmergencyCall(recruitment=recruitment, volunteer=p.volunteer, sent_at=now)
                                       for p in profiles])
    local = timezone.localtime(recruitment.answer_by)
    notify([p.volunteer.user for p in profiles],
           title=Text(gettext_lazy("Emergency call for volunteers: %(title)s"), title=recruitment.title),
           body=Text(gettext_lazy("%(place)s. Answer by %(deadline)s."), place=recruitment.place,
                     deadline=local.strftime("%Y-%m-%d %H:%M")),
           link=f"/recruitment/{recruitment.pk}/", kind="emergency.recruitment")
    audit_record(actor=None, action="recruitment.emergency_push", obj=recruitment, after={"called": len(profiles)})
    return len(profiles)


@transaction.atomic
def call_answer(*, actor, recruitment_id, answer, slot_id=None) -> EmergencyCall:
    """A called volunteer answers within the window: "yes" signs them up for the slot (the
    first with a free place when none is named, by the one rule), "no" is recorded."""
    volunteer = volunteer_for(actor)
    call = None
    if volunteer is not None:
        call = (EmergencyCall.objects.select_for_update(of=("self",)).select_related("recruitment")
                .filter(recruitment_id=recruitment_id, volunteer=volunteer).first())
    if call is None:
        raise NotFound(_("No emergency call for you in this recruitment."))
    if answer not in EmergencyCall.Answer.values:
        raise RuleViolation(_("Answer yes or no."), fields={"answer": [_("Answer yes or no.")]})
    recruitment = call.recruitment
    if recruitment.status != Recruitment.Status.OPEN or (recruitment.answer_by and timezone.now() > recruitment.answer_by):
        raise StateConflict(_("The answer window of this emergency recruitment has closed."))
    if call.answer == EmergencyCall.Answer.YES:
        raise StateConflict(_("You have already answered yes."))
    if answer == EmergencyCall.Answer.YES:
        if slot_id is None:
            slot = recruitment.slots.filter(end_at__gt=timezone.now()).order_by("start_at", "pk").first()
            if slot is None:
                raise StateConflict(_("This time slot is over."))
            slot_id = slot.pk
        elif not recruitment.slots.filter(pk=slot_id).exists():
            raise NotFound(_("No such time slot."))
        signup_create(actor=actor, slot_id=slot_id, source=SignUp.Source.EMERGENCY)
    call.answer, call.answered_at = answer, timezone.now()
    call.save(update_fields=["answer", "answered_at"])
    audit_record(actor=actor, action="recruitment.emergency_answer", obj=call, reference=volunteer.volunteer_number,
                 after={"answer": answer})
    return call
