"""The client's address, read in one place for every rate limit and lockout.

``X-Forwarded-For`` is only as trustworthy as the proxies that wrote it: each trusted proxy
appends the address it saw, so the client is the entry ``TRUSTED_PROXY_COUNT`` places from the
right. Anything further left was written by the client and is ignored. With no trusted proxy
(the default) the header is ignored altogether and ``REMOTE_ADDR`` is the client.
"""
from ipaddress import ip_address

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle


def client_ip(request) -> str:
    """The address of whoever sent ``request`` (a Django or DRF request), as far as the
    configured trusted proxies vouch for it; never a value the client chose."""
    meta = request.META
    remote = meta.get("REMOTE_ADDR", "") or ""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        # fewer hops than proxies: the request bypassed them, so only the socket is known
        return remote
    candidate = hops[-trusted]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return remote


class ClientAddressThrottle(ScopedRateThrottle):
    """DRF's scoped throttle keyed on :func:`client_ip` rather than DRF's own reading of
    ``X-Forwarded-For`` (which, with ``NUM_PROXIES`` unset, trusts the whole header)."""

    def get_ident(self, request):
        return client_ip(request)
