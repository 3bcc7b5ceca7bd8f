"""Documents about one milestone of the contract: its acceptance materials and the invoice the
payment request needs (P8). They are uploaded with the milestone as their subject, so the
milestone's acceptance and its payment request find them (``DOCUMENT_REQUIRED_KINDS``)."""
from django.utils.translation import gettext as _

from engine.cases.errors import NotFound, RuleViolation
from engine.documents.services import document_upload

from ..models import Milestone

MILESTONE_KINDS = ("acceptance", "invoice")


def milestone_documents_upload(*, actor, milestone_id, kind: str, files) -> list:
    """Upload ``files`` as ``kind`` (acceptance materials or invoice) of the milestone; who may
    upload which kind now is the documents policy's (``processes/procurement/documents.py``)."""
    if kind not in MILESTONE_KINDS:
        raise RuleViolation(_("Choose the kind of document."), fields={"kind": [_("Not a kind of document of a milestone.")]})
    try:
        milestone = Milestone.objects.select_related("contract__tender").get(pk=milestone_id)
    except (Milestone.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such milestone.")) from None
    return document_upload(actor=actor, case=milestone.contract.tender, kind=kind, files=files, subject=milestone)
