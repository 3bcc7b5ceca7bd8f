"""Incubation milestones recorded by base staff with evidence (I4) and, after graduation, the
nominations to the demonstration list and the excellent project library (I6)."""
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, RuleViolation, StateConflict
from engine.directory import rights
from engine.directory.models import Organization, Role
from engine.directory.validators import validate_uscc
from engine.workdays.calendar import local_date

from ..flows import approving_department
from ..models import IncubationApplication, Milestone, Nomination, Status
from .common import bounded_text, check_base_staff

RECORDABLE = [Status.INCUBATING, Status.MIDTERM_REVIEW, Status.GRADUATION_REVIEW, Status.EXTENDED]


def _parse_date(value, errors):
    """A milestone's date: a ``date`` or ``YYYY-MM-DD``, not in the future (it records what
    happened, I4). Adds to ``errors`` and returns None when it is missing or invalid."""
    if isinstance(value, str):
        value = value.strip()
        try:
            value = date.fromisoformat(value) if value else None
        except ValueError:
            errors["happened_on"] = [_("Enter the date as YYYY-MM-DD.")]
            return None
    if isinstance(value, datetime):
        value = local_date(value)  # the day in Zhengzhou, not in UTC
    if value is None:
        errors["happened_on"] = [_("Required.")]
    elif not isinstance(value, date):
        errors["happened_on"] = [_("Enter the date as YYYY-MM-DD.")]
        return None
    elif value > timezone.localdate():
        errors["happened_on"] = [_("A milestone records something that happened; the date cannot be after today.")]
    return value


def milestone_record(*, actor, application, kind: str, title: str, happened_on, evidence: str,
                     uscc: str = "") -> Milestone:
    """Record a milestone of an incubated organization (I4). Registration assistance makes an
    unregistered organization registered with its validated 统一社会信用代码."""
    if kind not in Milestone.Kind.values:
        raise RuleViolation(_("Not a valid milestone kind."), fields={"kind": [_("Not a valid choice.")]})
    title, uscc = (title or "").strip(), (uscc or "").strip().upper()
    evidence = bounded_text(evidence, "evidence")
    errors = {}
    if not title:
        errors["title"] = [_("Required.")]
    if not evidence:
        errors["evidence"] = [_("Please provide evidence.")]
    happened_on = _parse_date(happened_on, errors)
    if len(title) > Milestone._meta.get_field("title").max_length:
        errors["title"] = [_("At most 200 characters.")]
    if errors:
        raise RuleViolation(_("Please complete the milestone."), fields=errors)
    with transaction.atomic():
        case = IncubationApplication.objects.select_for_update().get(pk=application.pk)
        check_base_staff(actor, case.department)
        if case.status not in RECORDABLE:
            raise StateConflict(_("Only organizations in incubation can record milestones."))
        if happened_on < timezone.localdate(case.created_at):  # a sane date: not before the application
            raise RuleViolation(_("A milestone cannot be dated before the incubation application."), fields={"happened_on": [_("Date out of range.")]})
        org_after = {}
        if kind == Milestone.Kind.REGISTRATION:
            org = Organization.objects.select_for_update().get(pk=case.organization_id)
            if org.registered:
                raise RuleViolation(_("The organization is already registered and needs no registration assistance."))
            try:
                validate_uscc(uscc)
            except ValidationError as exc:
                raise RuleViolation(_("Not a valid unified social credit code."), fields={"uscc": exc.messages}) from None
            if Organization.objects.filter(uscc=uscc).exclude(pk=org.pk).exists():
                raise RuleViolation(_("Another organization already uses this unified social credit code."), fields={"uscc": [_("Duplicate.")]})
            org.uscc, org.registered = uscc, True
            org.full_clean()
            org.save(update_fields=["uscc", "registered", "updated_at"])
            audit_record(actor=actor, action="organization.registered", obj=org,
                         before={"registered": False}, after={"registered": True, "uscc": uscc},
                         reason=_("Registration assistance during incubation (%(reference)s)") % {"reference": case.reference})
            org_after = {"uscc": uscc}
        elif uscc:
            raise RuleViolation(_("Only registration assistance takes a unified social credit code."), fields={"uscc": [_("Not applicable.")]})
        milestone = Milestone.objects.create(
            application=case, kind=kind, title=title, happened_on=happened_on, evidence=evidence,
            uscc=uscc, recorded_by=actor)
        audit_record(actor=actor, action="incubation.milestone.record", obj=case,
                     after={"milestone": milestone.pk, "kind": kind, "title": title, **org_after})
    return milestone


def nomination_create(*, actor, application, kind: str, project=None) -> Nomination:
    """I6: base staff nominate a graduated organization (or one of its projects)."""
    if kind not in Nomination.Kind.values:
        raise RuleViolation(_("Not a valid nomination kind."), fields={"kind": [_("Not a valid choice.")]})
    with transaction.atomic():
        case = IncubationApplication.objects.select_for_update().get(pk=application.pk)
        check_base_staff(actor, case.department)
        if not case.may_be_nominated:
            raise StateConflict(_("Only graduated organizations can be nominated."))
        if kind == Nomination.Kind.PROJECT_LIBRARY:
            if project is None or project.application_id != case.pk or project.kind != Milestone.Kind.PROJECT:
                raise RuleViolation(_("Choose a volunteer service project the organization developed during incubation."), fields={"project": [_("Not valid.")]})
        else:
            project = None
        if Nomination.objects.filter(application=case, kind=kind, project=project).exclude(
                state=Nomination.State.REFUSED).exists():
            raise StateConflict(_("Already nominated."))
        nomination = Nomination.objects.create(application=case, kind=kind, project=project, nominated_by=actor)
        audit_record(actor=actor, action="incubation.nomination.create", obj=case,
                     after={"nomination": nomination.pk, "kind": kind, "project": getattr(project, "pk", None)})
    return nomination


def nomination_decide(*, actor, nomination, approve: bool, reason: str = "") -> Nomination:
    """I6: the 民政局 of the base (its reviewer or head) approves or refuses a nomination."""
    with transaction.atomic():
        nom = Nomination.objects.select_for_update().select_related("application__department").get(pk=nomination.pk)
        department = approving_department(nom.application)
        if not rights.has_any_role(actor, department, (Role.REVIEWER, Role.HEAD)):
            raise NotAllowed(_("Only a reviewer or head of the civil affairs department can decide nominations."))
        if not nom.is_pending:
            raise StateConflict(_("This nomination has already been decided."))
        if nom.nominated_by_id == actor.pk:
            raise NotAllowed(_("Separation of duties: whoever nominated cannot decide their own nomination."), code="separation_of_duties")
        if not approve and not (reason or "").strip():
            raise RuleViolation(_("Please give the reason for not selecting."), fields={"reason": [_("Required.")]})
        nom.state = Nomination.State.APPROVED if approve else Nomination.State.REFUSED
        nom.decided_by, nom.decided_at, nom.reason = actor, timezone.now(), (reason or "").strip()
        nom.save()
        audit_record(actor=actor, action="incubation.nomination.decide", obj=nom.application, reason=nom.reason,
                     before={"nomination": nom.pk, "state": Nomination.State.PENDING},
                     after={"nomination": nom.pk, "state": nom.state})
    return nom
