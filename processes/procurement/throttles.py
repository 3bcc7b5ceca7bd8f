"""The rate limit of asking enquiries (P10): DRF's scoped throttle keyed by account, with the
rate from ``PROCUREMENT_ENQUIRY_RATE`` unless ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
["procurement_enquiry"]`` sets it. The API and the tender page count against the same limit."""
from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from engine.api.client import client_ip

from . import conf

SCOPE = "procurement_enquiry"


class EnquiryThrottle(ScopedRateThrottle):
    """Always the ``procurement_enquiry`` scope; the rate is read at each request (settings may
    change in tests and deployments without a restart of this class)."""

    def get_rate(self):
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(SCOPE) or conf.enquiry_rate()

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        self.scope = SCOPE
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)


def enquiry_throttled(request) -> bool:
    """For the tender page's form: True when the caller is over the rate (the attempt is
    counted otherwise)."""
    return not EnquiryThrottle().allow_request(request, None)
