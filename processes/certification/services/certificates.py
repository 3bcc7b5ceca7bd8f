"""Issue, reissue, revoke and verify certificates (R7, R8, R10)."""
import hmac
import secrets
import uuid
from decimal import Decimal
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.models import AuditEvent
from engine.audit.services import audit_record
from engine.cases.errors import NotAllowed, NotFound, RuleViolation, StateConflict
from engine.cases.models import format_reference, next_number
from engine.directory import rights
from engine.directory.models import Department, Role

from .. import signing
from ..models import Activity, Certificate, Commendation, ServiceRecord, mask_name
from ..selectors import approved_hours, stars_for
from .registry import current_version
from .routing import is_manager, responsible

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand
CODE_LENGTH = 8


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _snapshot_item(record: ServiceRecord) -> dict:
    activity = record.activity
    return {
        "id": record.pk,
        "version": record.version,
        "activity": activity.name,
        "category": activity.category,
        "date": timezone.localdate(activity.start_at).isoformat(),
        "place": activity.place,
        "content": record.content,
        "organization": activity.organization.name,
        "person_in_charge": activity.person_in_charge,
        "hours": f"{record.hours:.2f}",
    }


def _issuer(request):
    """R9: the organization that answers for the recording unit at the time of issue, else its
    supervising department. Read now, not from the request: a certificate reissued after a
    dispute that a successor decided names the successor, not the ended issuer."""
    org, department = responsible(request.handling_organization or request.organization)
    if org is not None:
        contact = " ".join(x for x in (org.contact_person, org.contact_phone) if x)
        return org, org.name, contact
    return None, department.name, department.contact


def certificate_records(request, records):
    """R13: approved, current, non-deleted records only. R2a: service always; training and
    commendations when the volunteer asked for them; evaluations only when asked for too."""
    wanted = {Activity.Category.SERVICE}
    if request.include_training:
        wanted |= {Activity.Category.TRAINING, Activity.Category.COMMENDATION}
    if request.include_evaluation:
        wanted.add(Activity.Category.EVALUATION)
    return [r for r in records if r.status == ServiceRecord.Status.APPROVED and r.is_current and not r.is_deleted
            and r.activity.category in wanted]


def certificate_honours(request) -> dict:
    """Seed 二(四): when the volunteer asked, the star rating from approved hours (R14) and the
    departments' standing commendations (CM2), frozen into the certificate and signed (R10)."""
    if not request.include_honours:
        return {}
    volunteer = request.volunteer
    commendations = Commendation.objects.standing().filter(volunteer=volunteer).select_related("department")
    return {
        "stars": stars_for(approved_hours(volunteer)),
        "commendations": [
            {"id": c.pk, "department": c.department.name, "title": c.title, "date": c.commended_on.isoformat(),
             "number": c.document_number}
            for c in commendations.order_by("commended_on", "pk")
        ],
    }


def build_certificate(*, request, records, actor, sealed=False) -> Certificate:
    """Number, code, snapshot, signature and register entry of one certificate (R7, R8).
    Only approved, current, non-deleted records go in (R13); training and commendations, and
    evaluations, only when the volunteer asked (R2a, ``certificate_records``). Call inside the
    caller's transaction."""
    records = certificate_records(request, records)
    if not records:
        raise RuleViolation(_("There are no approved service records to certify."))
    records.sort(key=lambda r: (r.activity.start_at, r.pk))
    now = timezone.now().replace(microsecond=0)
    year = timezone.localdate(now).year
    issuer, issuer_name, issuer_contact = _issuer(request)
    volunteer = request.volunteer
    cert = Certificate(
        number=format_reference("ZS", year, next_number("ZS", year)),
        verification_code=new_verification_code(),
        request=request, volunteer=volunteer, issuer=issuer, issued_at=now,
        volunteer_name=volunteer.real_name, volunteer_id_masked=volunteer.masked_id,
        issuer_name=issuer_name, issuer_contact=issuer_contact or "",
        recording_organization=request.organization.name,
        total_hours=sum((r.hours for r in records if r.activity.category == Activity.Category.SERVICE), Decimal("0.00")),
        snapshot=[_snapshot_item(r) for r in records], sealed=sealed, key_id=signing.key_id(),
        honours=certificate_honours(request),
    )
    cert.signature = signing.sign(cert)
    cert.save()
    audit_record(
        actor=actor, action="certification.certificate.issue", obj=cert, reference=cert.number,
        after={"request": request.reference, "total_hours": cert.total_hours,
               "records": [r.pk for r in records], "issuer": issuer_name, "sealed": sealed},
    )
    return cert


def reissue_for_records(*, corrected: dict, actor, reason) -> list[Certificate]:
    """R10, 办法 Art. 17: every valid certificate standing on a corrected record is replaced by
    one built from the current versions; the old one is superseded and names its successor.
    ``corrected`` maps old record ids to their new versions."""
    replaced = []
    candidates = Certificate.objects.select_for_update(of=("self",)).filter(
        volunteer__in={r.volunteer_id for r in corrected.values()}, status=Certificate.Status.VALID,
    ).select_related("request", "request__volunteer", "request__organization", "request__department",
                     "request__handling_organization")
    for old in candidates:
        if not old.record_ids() & set(corrected):
            continue
        records = [current_version(r) for r in ServiceRecord.objects.filter(pk__in=old.record_ids())
                   .select_related("activity__organization")]
        new = build_certificate(request=old.request, records=records, actor=actor, sealed=old.sealed)
        old.supersede(new)
        old.save()
        forget_verification(old)
        audit_record(actor=actor, action="certification.certificate.supersede", obj=old, reference=old.number,
                     before={"status": Certificate.Status.VALID}, after={"status": old.status, "superseded_by": new.number},
                     reason=reason)
        replaced.append(new)
    return replaced


def _may_revoke(actor, cert) -> bool:
    """The issuer's managers; reviewers and heads of the city 民政局, or of the department
    supervising the recording organization (or its parent). Never another district's (D1)."""
    if actor.is_superuser or is_manager(actor, cert.issuer):
        return True
    depts = rights.department_ids(actor, (Role.REVIEWER, Role.HEAD))
    if not depts:
        return False
    supervising = cert.request.organization.supervising_department
    if {supervising.pk, supervising.parent_id} & depts:
        return True
    return Department.objects.filter(pk__in=depts, kind=Department.Kind.MCA, level=Department.Level.CITY).exists()


@transaction.atomic
def certificate_revoke(*, actor, number, reason) -> Certificate:
    """The issuer or 民政局 (reviewer, head) revokes a certificate, with a reason."""
    try:
        cert = (Certificate.objects.select_for_update(of=("self",))
                .select_related("request__organization__supervising_department").get(number=number))
    except Certificate.DoesNotExist:
        raise NotFound(_("No such certificate.")) from None
    if not _may_revoke(actor, cert):
        raise NotAllowed(_("Only the issuer or the civil affairs bureau can revoke a certificate."))
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for revoking."), fields={"reason": [_("Required.")]})
    return revoke_locked(cert=cert, actor=actor, reason=reason)


def revoke_locked(*, cert, actor, reason) -> Certificate:
    """Revoke a locked certificate (rights checked by the caller) and record it."""
    if cert.status != Certificate.Status.VALID:
        raise StateConflict(_("Only a valid certificate can be revoked."))
    cert.revoke(reason)
    cert.save()
    forget_verification(cert)
    audit_record(actor=actor, action="certification.certificate.revoke", obj=cert, reference=cert.number,
                 before={"status": Certificate.Status.VALID}, after={"status": cert.status}, reason=reason)
    return cert


NOT_FOUND = {"result": "not_found", "code": "not_found"}


def _labelled(answer: dict) -> dict:
    """The answer with its label in the active language: answers are cached without one,
    so a Chinese reader and an English reader share the cache."""
    if answer["result"] == "not_found":
        label = _("No such certificate; check the number and the verification code.")
        return {**answer, "label": label, "detail": label}
    if answer["result"] == "invalid":
        return {**answer, "label": _("The certificate does not match its signature and may have been "
                                     "tampered with; report it to the civil affairs bureau.")}
    return {**answer, "label": str(Certificate.Status(answer["result"]).label)}


def _verify_cache_seconds() -> int:
    """How long a verification answer is kept: ``CERT_VERIFY_CACHE_SECONDS``, else five
    minutes when the cache is shared by the server's processes, and 0 (no caching) with a
    per-process memory cache, where one process's revocation could not reach the others."""
    configured = getattr(settings, "CERT_VERIFY_CACHE_SECONDS", None)
    if configured is not None:
        return configured
    return 0 if isinstance(caches["default"], LocMemCache) else 300


def _status_mark_key(number) -> str:
    return "cert-verify-mark:" + sha256(number.encode()).hexdigest()


def _answer_key(number, code, mark) -> str:
    return "cert-verify:" + sha256(f"{number}\0{code}\0{mark}".encode()).hexdigest()


def forget_verification(cert):
    """After the status change commits, the certificate gets a new status mark: answers cached
    under the old one are never read again, including one a verification still running
    from before the commit writes afterwards (R10: the answer changes at once)."""
    mark_key = _status_mark_key(cert.number)
    transaction.on_commit(lambda: cache.set(mark_key, uuid.uuid4().hex, None))


def certificate_verify(*, number, code) -> dict:
    """R10, public: number plus code → minimal data. A wrong code and an unknown number give
    the same answer; a signature that does not match the stored content shows as invalid.

    The answer to a found certificate is cached under (number, code, its status mark): a
    repeat verification is one cache read instead of two queries and a signature check.
    The mark changes when a revocation or reissue commits (``forget_verification``). A status
    edited in the database behind the services shows as invalid once the answer expires."""
    number, code = (number or "").strip().upper(), (code or "").strip().upper()
    seconds = _verify_cache_seconds()
    if not seconds:
        return _labelled(_verify(number, code))
    key = _answer_key(number, code, cache.get(_status_mark_key(number), ""))
    if (answer := cache.get(key)) is None:
        answer = _verify(number, code)
        if answer["result"] != "not_found":  # unknown numbers fill no cache
            cache.set(key, answer, seconds)
    return _labelled(answer)


def _verify(number, code) -> dict:
    plausible = 0 < len(number) <= 32 and "\x00" not in number  # PostgreSQL refuses NUL in text
    # numbers are unique: no ordering to compile or sort (the model orders by issue time)
    cert = (Certificate.objects.filter(number=number).select_related("superseded_by").order_by()[:1] or [None])[0] \
        if plausible else None
    expected = cert.verification_code if cert else "X" * CODE_LENGTH
    if not hmac.compare_digest(expected.encode(), code.encode()) or cert is None:
        return dict(NOT_FOUND)
    if not signing.verify(cert) or not _status_matches_trail(cert):
        return {"result": "invalid", "number": cert.number}
    answer = {
        "result": cert.status,
        "number": cert.number,
        "issued_at": timezone.localdate(cert.issued_at).isoformat(),
        "issuer": cert.issuer_name,
        "total_hours": f"{cert.total_hours:.2f}",
        "volunteer": mask_name(cert.volunteer_name),
        "superseded_by": cert.superseded_by.number if cert.superseded_by_id else None,
    }
    return answer


STATUS_ACTIONS = ("certification.certificate.revoke", "certification.certificate.supersede")


def _status_matches_trail(cert) -> bool:
    """The status is not signed (it changes after issue), so it is checked against the last
    revoke or supersede event of the tamper-evident audit trail (D4): a revoked certificate
    set back to valid in the database, or pointed at another replacement, shows as invalid."""
    last = (AuditEvent.objects.filter(object_type=cert._meta.label_lower, object_id=str(cert.pk),
                                      action__in=STATUS_ACTIONS).order_by("-seq").values("after").first())
    status = (last or {}).get("after", {}).get("status", Certificate.Status.VALID)
    replacement = (last or {}).get("after", {}).get("superseded_by")
    current = cert.superseded_by.number if cert.superseded_by_id else None
    return status == cert.status and replacement == current
