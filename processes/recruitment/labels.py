"""Names of this process's audit actions, for case histories (the action codes are stored data)."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "recruitment.publish": _("Publish a recruitment"),
    "recruitment.close": _("Close a recruitment"),
    "recruitment.cancel": _("Cancel a recruitment"),
    "recruitment.signup": _("Sign up for a recruitment"),
    "recruitment.promote": _("Moved up from the wait-list"),
    "recruitment.select": _("Select a volunteer"),
    "recruitment.decline": _("Not select a volunteer"),
    "recruitment.withdraw": _("Withdraw a sign-up"),
    "recruitment.emergency_push": _("Send an emergency call"),
    "recruitment.emergency_answer": _("Answer an emergency call"),
    "recruitment.profile": _("Update skills and availability"),
}
