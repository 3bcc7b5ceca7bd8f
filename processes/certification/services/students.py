"""Students' school details and their consent to share hours with the school (seed 五(一)).

Only the volunteer themself (the student, or the guardian using the student's account) states
the school and gives or withdraws the consent; the consent is recorded with who gave it and
when (R4 applied to sharing: without consent the student is in no school's list or export)."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.conflicts import as_conflict
from engine.cases.errors import NotAllowed, NotFound, RuleViolation
from engine.directory.models import Department

from ..models import StudentProfile, Volunteer


def _own_volunteer(actor) -> Volunteer:
    """The actor's own volunteer record, locked; only the student acts on their school details."""
    if actor is None or not actor.is_authenticated:
        raise NotAllowed(_("Sign in as the student to change the school details."))
    volunteer = Volunteer.objects.select_for_update().filter(user=actor).first()
    if volunteer is None:
        raise NotAllowed(_("Only a registered volunteer can state a school."))
    return volunteer


def _school(value) -> Department:
    school_id = getattr(value, "pk", value)
    try:
        school_id = int(school_id)
    except (TypeError, ValueError):
        school_id = None
    school = Department.objects.filter(pk=school_id, kind=Department.Kind.SCHOOL, is_active=True).first() if school_id else None
    if school is None:
        raise RuleViolation(_("No such school."), fields={"school": [_("Choose a school from the list.")]})
    return school


def _snapshot(profile):
    if profile is None:
        return None
    return {"school": profile.school_id, "student_number": profile.student_number, "grade": profile.grade,
            "consent_at": profile.consent_at, "consent_by": profile.consent_by}


def student_profile_save(*, actor, school, student_number, grade="", consent=False, consent_by="",
                         consent_note="") -> StudentProfile:
    """Seed 五(一): the volunteer states (or changes) their school, student number and grade, and
    gives or withholds consent to share approved hours with that school. Consent needs who gave
    it (the student or the guardian). Changing school withdraws the old school's view at once,
    as the profile names one school. A student number taken at that school is a 409."""
    student_number = str(student_number or "").strip()
    grade = str(grade or "").strip()
    consent_note = str(consent_note or "").strip()
    errors = {}
    if not student_number:
        errors["student_number"] = [_("Enter the student number.")]
    elif len(student_number) > 32:
        errors["student_number"] = [_("A student number has at most 32 characters.")]
    if len(grade) > 32:
        errors["grade"] = [_("The grade and class have at most 32 characters.")]
    if len(consent_note) > 200:
        errors["consent_note"] = [_("How consent was given: at most 200 characters.")]
    if consent and consent_by not in StudentProfile.ConsentBy.values:
        errors["consent_by"] = [_("Say whether the student or the guardian gave the consent.")]
    if errors:
        raise RuleViolation(_("Please correct the school details."), fields=errors)
    school = _school(school)
    with transaction.atomic():
        volunteer = _own_volunteer(actor)
        profile = StudentProfile.objects.select_for_update().filter(volunteer=volunteer).first()
        before = _snapshot(profile)
        if profile is None:
            profile = StudentProfile(volunteer=volunteer)
        same_school = profile.pk is not None and profile.school_id == school.pk
        profile.school, profile.student_number, profile.grade = school, student_number, grade
        if consent:
            # a consent already given to this school keeps its date; a new school needs a new one
            if not (same_school and profile.consent_at and profile.consent_by == consent_by):
                profile.consent_at = timezone.now()
            profile.consent_by, profile.consent_note = consent_by, consent_note
        else:
            profile.consent_at, profile.consent_by, profile.consent_note = None, "", ""
        profile.updated_by, profile.updated_at = actor, timezone.now()
        try:
            with transaction.atomic():
                profile.save()
        except IntegrityError as exc:
            raise as_conflict(exc) or exc from None
        audit_record(actor=actor, action="certification.student.save", obj=profile,
                     reference=volunteer.volunteer_number, before=before, after=_snapshot(profile))
    return profile


def student_consent_withdraw(*, actor) -> StudentProfile:
    """The student (or guardian) withdraws the consent: from now on no school sees the hours."""
    with transaction.atomic():
        volunteer = _own_volunteer(actor)
        profile = StudentProfile.objects.select_for_update().filter(volunteer=volunteer).first()
        if profile is None:
            raise NotFound(_("You have not stated a school."))
        before = _snapshot(profile)
        profile.consent_at, profile.consent_by, profile.consent_note = None, "", ""
        profile.updated_by, profile.updated_at = actor, timezone.now()
        profile.save()
        audit_record(actor=actor, action="certification.student.withdraw_consent", obj=profile,
                     reference=volunteer.volunteer_number, before=before, after=_snapshot(profile))
    return profile
