"""Helpers shared by the incubation services: who acts for whom, notifications."""
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.translation import gettext as _

from engine.cases.errors import NotAllowed, NotFound, RuleViolation
from engine.directory import rights
from engine.directory.models import DEPARTMENT_ROLES, OrganizationMember
from engine.notifications.services import notify

from ..models import IncubationApplication


def check_applicant(case, actor):
    """The actor acts for the applying organization."""
    if not rights.acts_for(actor, case.organization_id):
        raise NotAllowed(_("Only members of the applying organization may do this."))


def check_base_staff(actor, base):
    if not (actor.is_superuser or rights.has_any_role(actor, base, DEPARTMENT_ROLES)):
        raise NotAllowed(_("Only the staff of this incubation base may do this."))


def get_application(pk) -> IncubationApplication:
    try:
        return IncubationApplication.objects.select_related("organization", "department").get(pk=pk)
    except (IncubationApplication.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such incubation application.")) from None


def parse_score(value, field: str) -> Decimal:
    """A score of 0–100 with at most two decimals (never float, D5 style)."""
    try:
        score = Decimal(str(value).strip())
        if not score.is_finite():  # "NaN" / "Infinity": a 400, not a 500 in the comparison below
            raise InvalidOperation
        score = score.quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        raise RuleViolation(_("Enter a score between 0 and 100."), fields={field: [_("Not a valid score.")]}) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise RuleViolation(_("Enter a score between 0 and 100."), fields={field: [_("Out of range.")]})
    return score


PLAN_MAX_LENGTH = 10000  # an incubation plan
TEXT_MAX_LENGTH = 4000  # evidence, agreement terms, mid-term notes
DOCUMENT_NAME_MAX_LENGTH = 200
DOCUMENTS_MAX = 50


def bounded_text(value, field: str, limit: int = TEXT_MAX_LENGTH) -> str:
    """Free text, stripped, with a length limit: too long is a 400 naming the field (issue #16)."""
    text = str(value or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise RuleViolation(_("Too long: at most %(n)s characters.") % {"n": limit},
                            fields={field: [_("At most %(n)s characters.") % {"n": limit}]})
    return text


def document_names(documents) -> list[str]:
    """The application's list of document names, each bounded, at most ``DOCUMENTS_MAX``."""
    names = [bounded_text(d, "documents", DOCUMENT_NAME_MAX_LENGTH) for d in documents or ()]
    names = [n for n in names if n]
    if len(names) > DOCUMENTS_MAX:
        raise RuleViolation(_("At most %(n)s application documents.") % {"n": DOCUMENTS_MAX},
                            fields={"documents": [_("Too many documents.")]})
    return names


def tell_applicant(case, title, body=""):
    """Notify the organization's members once the change is committed."""
    users = [m.user for m in OrganizationMember.objects.filter(organization_id=case.organization_id)
             .select_related("user")]
    notify(users, title=title, body=body, link=reverse("portal:section", args=["incubation"]), kind="incubation", reference=case.reference)
