"""An organization merged or dissolved (R9), as the time bank sees it."""
from ..models import Redemption
from .exchange import redemption_reroute


def organization_ended(organization_id):
    """Its services are no longer offered (redemption refuses an inactive provider); the
    redemptions waiting for its answer move to whoever answers for it now, and still expire
    at their due time (T6)."""
    waiting = Redemption.objects.filter(provider_id=organization_id, status=Redemption.Status.HELD)
    for pk in waiting.values_list("pk", flat=True):
        redemption_reroute(redemption_id=pk)
