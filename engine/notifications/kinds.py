"""What notifications are about, grouped into the categories a user chooses channels for.

A notification's ``kind`` is a dotted name written by the service that sends it
(``task.overdue``, ``certification.issued``, ``procurement``...); its category is the first
part. Every notification is in the in-app inbox; the categories below say whether it is also
mailed and texted when the user has not chosen otherwise: mail for everything, text messages
only for what has a deadline of the user's own (reminders) or needs action now (escalations,
emergency calls for volunteers)."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

EMAIL, SMS = "email", "sms"
CHANNELS = {EMAIL: _("E-mail"), SMS: _("Text message")}

CATEGORIES = {
    "task": pgettext_lazy("notification kind", "My tasks and my department's queue"),
    "reminder": pgettext_lazy("notification kind", "Reminders of my deadlines"),
    "digest": pgettext_lazy("notification kind", "Daily digest of open tasks"),
    "incubation": pgettext_lazy("notification kind", "Incubation"),
    "procurement": pgettext_lazy("notification kind", "Purchase of services"),
    "certification": pgettext_lazy("notification kind", "Service records and certificates"),
    "recruitment": pgettext_lazy("notification kind", "Recruitments and sign-ups"),
    "emergency": pgettext_lazy("notification kind", "Emergency calls for volunteers"),
    "timebank": pgettext_lazy("notification kind", "Time bank"),
    "other": pgettext_lazy("notification kind", "Other notices"),
}
DEFAULT_CHANNELS = {category: {EMAIL} for category in CATEGORIES}
DEFAULT_CHANNELS["reminder"] = {EMAIL, SMS}
DEFAULT_CHANNELS["emergency"] = {EMAIL, SMS}  # seed 二(一): an emergency call needs an answer within its short window


def category(kind: str) -> str:
    head = (kind or "").split(".", 1)[0]
    return head if head in CATEGORIES else "other"


def kind_label(kind: str):
    return CATEGORIES[category(kind)]


def channels_for(chosen: dict | None, kind: str) -> set[str]:
    """The channels of a user's ``Preferences.channels`` (or None: no preferences) for ``kind``."""
    name = category(kind)
    if chosen and name in chosen:
        return set(chosen[name]) & set(CHANNELS)
    return set(DEFAULT_CHANNELS[name])
