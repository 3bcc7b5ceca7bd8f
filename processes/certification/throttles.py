"""Rate limits of the forms and endpoints that take an ID number (issue #16): registration,
claiming an entered record, on-the-spot sign-in and back-fill. They use DRF's scoped
throttle, the machinery the public verification already uses, keyed by account (or address
when anonymous), with the rate from ``CERTIFICATION_IDENTITY_RATE`` unless
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["volunteer_identity"]`` sets it."""
from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from . import conf

SCOPE = "volunteer_identity"


class IdentityThrottle(ScopedRateThrottle):
    """Always the ``volunteer_identity`` scope, whatever the view's own ``throttle_scope``."""

    def get_rate(self):
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(SCOPE) or conf.identity_rate()

    def allow_request(self, request, view):
        self.scope = SCOPE
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)


def identity_throttled(request) -> bool:
    """For the portal's plain Django views: True when the caller is over the rate (the
    attempt is counted otherwise)."""
    return not IdentityThrottle().allow_request(request, None)
