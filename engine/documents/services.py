"""Uploading, replacing and withdrawing documents, and the check a step makes before it
proceeds (issue #9). Every write: the files are checked first (type from the bytes, size, the
virus-scan hook), then in one transaction the case row is locked (so the per-case limit holds
when uploads race), the right is checked (``access``), the files are stored, the rows written
and an audit event with each file's SHA-256 appended (D4). A refused file names itself in the
message and nothing is stored; files already written when a later step fails are removed.
"""
import hashlib
import os
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from engine.audit.services import audit_record
from engine.cases.errors import RuleViolation

from . import access, conf
from .detection import allowed_labels, detect
from .models import Document, DocumentVersion
from .policy import policy_for
from .storage import document_storage, new_name

NAME_MAX = 255


@dataclass
class CheckedFile:
    file: object
    name: str
    size: int
    sha256: str
    content_type: str


def clean_name(raw) -> str:
    """The uploaded name as given (Chinese kept), without any path a browser sent along, NULs or
    control characters, at most 255 characters with the extension kept."""
    name = str(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch >= " " and ch != "\x7f").strip() or _("unnamed file")
    if len(name) > NAME_MAX:
        stem, ext = os.path.splitext(name)
        name = stem[: NAME_MAX - len(ext[:16])] + ext[:16]
    return name


def _refuse(name, message):
    raise RuleViolation(message, code="file_refused", fields={"files": [message]})


def check_file(file) -> CheckedFile:
    """Type, size and scan of one file before anything is stored; a refusal names the file."""
    name = clean_name(getattr(file, "name", ""))
    limit = conf.max_file_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        _refuse(name, _("The file “%(name)s” is larger than %(limit)s; nothing was stored.") % {
            "name": name, "limit": filesizeformat(limit)})
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    for block in iter(lambda: file.read(64 * 1024), b""):
        digest.update(block)
        size += len(block)
        if size > limit:
            _refuse(name, _("The file “%(name)s” is larger than %(limit)s; nothing was stored.") % {
                "name": name, "limit": filesizeformat(limit)})
    file.seek(0)
    if size == 0:
        _refuse(name, _("The file “%(name)s” is empty; nothing was stored.") % {"name": name})
    found = detect(file)
    allowed = conf.allowed_types()
    if found is None or found.code not in allowed:
        _refuse(name, _("The file “%(name)s” is not one of the allowed types (%(types)s) judging by its content; "
                        "nothing was stored.") % {"name": name, "types": allowed_labels(allowed)})
    scan = conf.virus_scan()
    if scan is not None:
        reason = scan(file, name)
        file.seek(0)
        if reason:
            _refuse(name, _("The file “%(name)s” was refused by the virus scan (%(reason)s); nothing was stored.")
                    % {"name": name, "reason": reason})
    return CheckedFile(file=file, name=name, size=size, sha256=digest.hexdigest(), content_type=found.mime)


def _lock_case(case):
    """The case's row, locked. An object that plays a case without a ``department`` column (a
    back-filled service record, ``DocumentPolicy.case_by_reference``) is locked alone."""
    model = type(case)
    queryset = model.objects.select_for_update(of=("self",))
    if any(f.name == "department" and f.is_relation for f in model._meta.concrete_fields):
        queryset = queryset.select_related("department")
    return queryset.get(pk=case.pk)


def _check_case_limit(case, adding: int):
    """The case's stored bytes (every version of every document) plus ``adding`` stay within
    ``DOCUMENT_MAX_CASE_BYTES``; the caller holds the case row's lock."""
    used = DocumentVersion.objects.filter(
        document__case_type=ContentType.objects.get_for_model(case), document__case_id=case.pk,
    ).aggregate(total=Sum("size"))["total"] or 0
    limit = conf.max_case_bytes()
    if used + adding > limit:
        message = _("The documents of %(reference)s would exceed %(limit)s in all (%(used)s used); nothing was stored.") % {
            "reference": case.reference, "limit": filesizeformat(limit), "used": filesizeformat(used)}
        raise RuleViolation(message, code="case_limit", fields={"files": [message]})


class _Stored:
    """Files written to storage in this call, removed again if the call fails."""

    def __init__(self, reference):
        self.reference, self.names, self.storage = reference, [], document_storage()

    def save(self, checked: CheckedFile) -> str:
        checked.file.seek(0)
        name = self.storage.save(new_name(self.reference), checked.file)
        self.names.append(name)
        return name

    def discard(self):
        for name in self.names:
            self.storage.delete(name)


def _audit_facts(document, version, policy) -> dict:
    """What the audit event says of a file: its SHA-256 (D4), name and size. Of a sealed
    document only that it exists (P4: a sealed bid's file is known to no one before the seal
    opens); the process records the SHA-256 when the seal opens (procurement's close)."""
    facts = {"document": document.pk, "kind": document.kind, "version": version.number}
    if policy.sealed_until(document) is None:
        facts.update(sha256=version.sha256, name=version.original_name, size=version.size)
    return facts


def _audit(actor, action, document, case, policy, version, **extra):
    audit_record(actor=actor, action=action, after=_audit_facts(document, version, policy),
                 **policy.audit_target(document, case), **extra)


def document_upload(*, actor, case, kind: str, files, subject=None) -> list[Document]:
    """New documents of ``kind`` on ``case``, one per file, for the organization the actor acts
    for (or by staff), about ``subject`` when given (an object of the case of a type the
    process's policy allows for ``kind``: ``access.check_subject``). All or nothing: one
    refused file stores none."""
    files = [f for f in files or () if f is not None]
    if not files:
        raise RuleViolation(_("Choose at least one file."), fields={"files": [_("Required.")]})
    if len(files) > conf.max_files_per_upload():
        raise RuleViolation(_("At most %(n)s files at a time.") % {"n": conf.max_files_per_upload()},
                            fields={"files": [_("Too many files.")]})
    checked = [check_file(f) for f in files]
    policy = policy_for(case.PROCESS_NAME)
    stored = _Stored(case.reference)
    try:
        with transaction.atomic():
            case = _lock_case(case)
            rights = access.case_access_for(actor, case)
            organization_id = access.upload_organization(actor, case, kind, rights)
            if subject is not None:
                access.check_subject(actor, case, kind, subject)
            _check_case_limit(case, sum(c.size for c in checked))
            now = timezone.now()
            documents = []
            for item in checked:
                document = Document.objects.create(
                    case_type=ContentType.objects.get_for_model(case), case_id=case.pk, reference=case.reference,
                    process_name=case.PROCESS_NAME, kind=kind, organization_id=organization_id,
                    subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
                    subject_id=subject.pk if subject is not None else None,
                    created_by=actor, created_at=now,
                )
                version = _new_version(document, item, stored, actor, now, 1)
                document.stored_version = version
                _audit(actor, "documents.upload", document, case, policy, version)
                documents.append(document)
    except BaseException:
        stored.discard()
        raise
    return documents


def discard_stored(documents) -> None:
    """Remove the files of ``documents`` just uploaded by ``document_upload`` from the storage:
    for a caller whose own transaction rolled back after the upload (a form that creates a case,
    uploads its files and submits it, and the submission was refused)."""
    storage = document_storage()
    for document in documents:
        version = getattr(document, "stored_version", None)
        if version is not None:
            storage.delete(version.blob)


def _new_version(document, item, stored, actor, now, number) -> DocumentVersion:
    return DocumentVersion.objects.create(
        document=document, number=number, blob=stored.save(item), original_name=item.name, size=item.size,
        sha256=item.sha256, content_type=item.content_type, uploaded_by=actor, uploaded_at=now,
    )


def document_replace(*, actor, document, file) -> DocumentVersion:
    """A new version of ``document`` (the earlier ones stay and can still be downloaded)."""
    if file is None:
        raise RuleViolation(_("Choose a file."), fields={"file": [_("Required.")]})
    item = check_file(file)
    stored = _Stored(document.reference)
    try:
        with transaction.atomic():
            case = _lock_case(access.case_of(document))
            document = Document.objects.select_for_update().get(pk=document.pk)
            rights = access.case_access_for(actor, case)
            access.check_change(actor, document, case, rights)
            _check_case_limit(case, item.size)
            document.latest_number += 1
            version = _new_version(document, item, stored, actor, timezone.now(), document.latest_number)
            document.save(update_fields=["latest_number"])
            _audit(actor, "documents.replace", document, case, policy_for(case.PROCESS_NAME), version)
    except BaseException:
        stored.discard()
        raise
    return version


def document_withdraw(*, actor, document, reason: str = "") -> Document:
    """Withdraw ``document``: it stays, with all its versions, marked withdrawn."""
    reason = str(reason or "").replace("\x00", "").strip()[:500]
    with transaction.atomic():
        case = _lock_case(access.case_of(document))
        document = Document.objects.select_for_update().get(pk=document.pk)
        rights = access.case_access_for(actor, case)
        access.check_change(actor, document, case, rights)
        document.status, document.withdrawn_at = Document.Status.WITHDRAWN, timezone.now()
        document.withdrawn_by, document.withdraw_reason = actor, reason
        document.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason"])
        latest = document.versions.get(number=document.latest_number)
        _audit(actor, "documents.withdraw", document, case, policy_for(case.PROCESS_NAME), latest, reason=reason)
    return document


def missing_kinds(case, step: str, *, organization=None, subject=None) -> list[str]:
    """The kinds ``step`` requires (``DOCUMENT_REQUIRED_KINDS``) that ``case`` has no current
    document of (handed in by ``organization`` / about ``subject`` when given: a bid's files are
    its bidder's, an invoice is a milestone's)."""
    required = policy_for(case.PROCESS_NAME).required_kinds(step)
    if not required:
        return []
    documents = access.case_documents(case).filter(status=Document.Status.CURRENT, kind__in=required)
    if organization is not None:
        documents = documents.filter(organization_id=getattr(organization, "pk", organization))
    if subject is not None:
        documents = documents.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    present = set(documents.values_list("kind", flat=True))
    return [k for k in required if k not in present]


def require_documents(case, step: str, *, organization=None, subject=None) -> None:
    """Refuse to proceed with ``step`` (``"<process>.<step>"``) while a required kind is missing:
    a RuleViolation naming the missing kinds. A process's service calls it inside its step."""
    missing = missing_kinds(case, step, organization=organization, subject=subject)
    if missing:
        policy = policy_for(case.PROCESS_NAME)
        labels = _(", ").join(policy.label(k) for k in missing)
        message = _("Required documents are missing: %(kinds)s. They must be uploaded before this step can proceed.") % {
            "kinds": labels}
        raise RuleViolation(message, code="documents_missing", fields={"documents": [message]})
