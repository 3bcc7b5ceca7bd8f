"""Claiming a volunteer record an organization entered (R4, R5, R7; issue #16).

An organization enters a volunteer without an account with their consent (R4). That record
is linked to a person's account only when the person shows the one-time claim code the
organization handed them: knowing a name and an ID number is not enough, and until then a
person registering with the same number gets a record of their own and sees none of the
entered record's hours. The code is stored as a keyed hash, expires, and stops working after
a few wrong tries (settings); a refusal reads the same whether or not the number is known.
"""
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.directory import rights
from engine.directory.services import responsible_unit

from .. import conf
from ..models import Attendance, CertificateRequest, ClaimCode, Dispute, ServiceRecord, Volunteer
from .registry import _district

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or copied by hand
CODE_LENGTH = 10


class ClaimRefused(RuleViolation):
    """A claim that did not go through. Raised after the failed attempt is counted and
    committed, so callers must not roll it back (see ``volunteer_claim``)."""

    code = "claim_refused"


def _digest(code: str) -> str:
    normalized = "".join((code or "").split()).upper().replace("-", "")
    return salted_hmac("certification.claim_code", normalized, algorithm="sha256").hexdigest()


def _may_issue(actor, volunteer) -> bool:
    org = volunteer.registered_by
    if org is None:
        return False
    if rights.acts_for(actor, org):
        return True
    answering, _dept = responsible_unit(org)  # R9: the successor of an ended organization
    return answering is not None and rights.acts_for(actor, answering)


@transaction.atomic
def claim_code_issue(*, actor, volunteer_id) -> tuple[str, ClaimCode]:
    """The organization that entered a volunteer (or its successor, R9) issues a claim code
    to hand to that person. Returns the code in clear once; only its hash is kept. A new code
    ends any earlier unused one."""
    volunteer = (Volunteer.objects.select_for_update(of=("self",)).select_related("registered_by")
                 .filter(pk=volunteer_id).first())
    if volunteer is None or not _may_issue(actor, volunteer):
        raise NotFound(_("Volunteer not found."))
    if volunteer.user_id is not None:
        raise StateConflict(_("This volunteer is already linked to an account and needs no claim code."))
    now = timezone.now()
    ClaimCode.objects.filter(volunteer=volunteer, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    claim = ClaimCode.objects.create(volunteer=volunteer, code_hash=_digest(code), issued_by=actor,
                                     expires_at=now + timedelta(days=conf.claim_code_days()))
    audit_record(actor=actor, action="certification.volunteer.claim_code", obj=volunteer,
                 reference=volunteer.volunteer_number, after={"expires_at": claim.expires_at})
    return code, claim


def volunteer_claim(*, actor, id_number, code, district=None) -> Volunteer:
    """The person links the record an organization entered for them to their own account,
    proving it with the claim code. A wrong code counts an attempt (committed even though
    the claim is refused); the refusal is the same for an unknown number, a wrong, used or
    expired code. An account that already has a record of its own may claim only while
    that record holds nothing (no records, sign-ins, requests or disputes); it is replaced."""
    if not (actor and actor.is_authenticated):
        raise NotAllowed()
    with transaction.atomic():
        claimed = _claim(actor, (id_number or "").strip().upper(), code or "", district)
    if claimed is None:
        raise ClaimRefused(_("The claim code is invalid, expired or does not match the ID number; check with the organization that entered your details."),
                           fields={"claim_code": [_("The claim code is invalid or expired.")]})
    return claimed


def _claim(actor, id_number, code, district):
    district = _district(district)
    now = timezone.now()
    # each organization that entered the person has its own record and may have issued a code
    entered_ids = list(Volunteer.objects.select_for_update().filter(
        id_number=id_number, user__isnull=True, registered_by__isnull=False).order_by("pk").values_list("pk", flat=True))
    live = list(ClaimCode.objects.select_for_update().filter(
        volunteer_id__in=entered_ids, used_at__isnull=True, expires_at__gt=now,
        attempts__lt=conf.claim_code_attempts()).order_by("pk"))
    digest = _digest(code)
    claim = next((c for c in live if constant_time_compare(c.code_hash, digest)), None)
    if claim is None:
        for wrong in live:  # a wrong try counts against every live code of the number
            wrong.attempts += 1
            wrong.save(update_fields=["attempts"])
        return None
    entered = Volunteer.objects.get(pk=claim.volunteer_id)
    own = Volunteer.objects.select_for_update().filter(user=actor).first()
    if own is not None:
        if _holds_anything(own):
            raise StateConflict(_("Your volunteer account already has service records or requests; ask the organization that entered your details to merge them."))
        audit_record(actor=actor, action="certification.volunteer.replace", obj=own, reference=own.volunteer_number,
                     before={"user": actor.pk}, after={"replaced_by": entered.volunteer_number})
        own.delete()
    claim.used_at = now
    claim.save(update_fields=["used_at"])
    entered.user = actor
    if district is not None:
        entered.district = district  # the volunteer states where they live
    entered.save(update_fields=["user", "district"])
    audit_record(actor=actor, action="certification.volunteer.link", obj=entered, reference=entered.volunteer_number,
                 before={"user": None}, after={"user": actor.pk, "claim_code": claim.pk})
    return entered


def _holds_anything(volunteer) -> bool:
    return (ServiceRecord.objects.filter(volunteer=volunteer).exists()
            or Attendance.objects.filter(volunteer=volunteer).exists()
            or CertificateRequest.objects.filter(volunteer=volunteer).exists()
            or Dispute.objects.filter(volunteer=volunteer).exists())
