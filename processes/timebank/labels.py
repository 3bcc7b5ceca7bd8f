"""Names of this process's audit actions, for case histories (the action codes are stored data)."""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "timebank.ledger.post": _("Hours credited to the time account"),
    "timebank.ledger.reverse": _("Hours of a corrected record taken back"),
    "timebank.service.publish": _("Publish a service for hours"),
    "timebank.service.withdraw": _("Withdraw a service"),
    "timebank.redemption.create": _("Redeem hours"),
    "timebank.redemption.confirm": _("Confirm delivery"),
    "timebank.redemption.decline": _("Decline the redemption"),
    "timebank.redemption.cancel": _("Cancel the redemption"),
    "timebank.redemption.expire": _("Redemption expired"),
    "timebank.redemption.reroute": _("Redemption moved to whoever answers for the provider now"),
    "timebank.transfer": _("Give hours to a family member"),
}
