"""Client addresses come from TRUSTED_PROXY_COUNT trusted proxies only: a made-up
X-Forwarded-For neither bypasses the public rate limit nor the login lockout."""
import pathlib

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from engine.api.client import client_ip

pytestmark = pytest.mark.django_db


def _request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="1.1.1.1")) == "203.0.113.9"


def test_with_one_proxy_the_right_most_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # the client wrote "6.6.6.6" itself; the proxy appended the address it saw
    assert client_ip(_request(remote="10.0.0.2", forwarded="6.6.6.6, 198.51.100.7")) == "198.51.100.7"


def test_with_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(remote="10.0.0.3", forwarded="6.6.6.6, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_a_missing_short_or_garbled_header_falls_back_to_the_socket(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request(remote="10.0.0.3", forwarded=forwarded)) == "10.0.0.3"


@pytest.fixture
def two_per_minute():
    cache.clear()
    rates = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = {**rates, "public_verify": "2/min"}
    yield
    ScopedRateThrottle.THROTTLE_RATES = rates
    cache.clear()


def test_public_verify_rate_limit_is_not_bypassed_by_a_made_up_header(two_per_minute, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    api = APIClient()
    codes = [
        api.get("/api/v1/certification/verify/", {"number": "ZS-2000-000001", "code": "AAAAAAAA"},
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(4)
    ]
    assert codes[:2] == [404, 404]
    assert codes[2:] == [429, 429]
    refused = api.get("/api/v1/certification/verify/", {"number": "x", "code": "y"}, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert refused.json()["code"] == "throttled"


def test_public_verify_page_shares_the_limit_and_the_reading(two_per_minute, client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [
        client.get("/certification/verify/", {"number": "ZS-2000-000001", "code": "AAAAAAAA"},
                   HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert statuses[-1] == 429


@pytest.mark.django_db(transaction=True)
def test_behind_a_trusted_proxy_distinct_clients_get_their_own_limit(two_per_minute, settings):
    """Transactional: verification runs outside a request transaction, and DRF marks the
    surrounding one for rollback on a 429 — here that would be the test's own."""
    settings.TRUSTED_PROXY_COUNT = 1
    api = APIClient()
    params = {"number": "ZS-2000-000001", "code": "AAAAAAAA"}
    for _ in range(2):
        api.get("/api/v1/certification/verify/", params, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert api.get("/api/v1/certification/verify/", params, REMOTE_ADDR="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # a spoofed left-most entry does not help; another real client is counted apart
    assert api.get("/api/v1/certification/verify/", params, REMOTE_ADDR="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1").status_code == 429
    assert api.get("/api/v1/certification/verify/", params, REMOTE_ADDR="10.0.0.2",
                   HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 404


def test_every_address_reader_goes_through_client_ip():
    """No module of the project reads the forwarded header or the socket address itself."""
    root = pathlib.Path(__file__).resolve().parents[2]
    readers = []
    for folder in ("config", "engine", "processes"):
        for path in (root / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if "X_FORWARDED_FOR" in text or "REMOTE_ADDR" in text or "ScopedRateThrottle()" in text:
                readers.append(path.relative_to(root).as_posix())
    assert readers == ["engine/api/client.py"]
