"""Authorization matrix (issue #16): every endpoint and page of ``matrix_cases`` asked by every
role, on one world of two organizations. Each row asserts the status the rules give the role,
that nobody outside ``sees`` finds A's object in the answer (B gets 404 for A's objects, as for a
missing one; D1 keeps a district's cases in its own department; P4 keeps bids from rivals; R5/R11
keep a volunteer's data with the volunteer, the recording organization and its supervisor), and
that a refused write changed nothing. A 500 is never expected. Rows where the current code breaks
the rules are ``xfail(strict=True)`` with the reason, so the fix turns them into failures to
remove."""
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from openpyxl import load_workbook

from tests.security.matrix_cases import ENDPOINTS, ROLES
from tests.security.matrix_world import build_world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world is built once and rolled back at the end of the module; each row runs in a
    savepoint inside it (pytest-django's ``db``), so no row sees another's writes."""
    key_path = tmp_path_factory.mktemp("signing") / "cert-dev-key.pem"
    with django_db_blocker.unblock(), override_settings(
            CERTIFICATION_DEV_KEY_PATH=key_path, AUDIT_CHECKPOINT_DIR=str(tmp_path_factory.mktemp("audit"))):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            world.signing_key_path = key_path
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def signing_key(settings, world):
    """Certificates are verified and drawn with the key that signed them."""
    settings.CERTIFICATION_DEV_KEY_PATH = world.signing_key_path


def _cases():
    for endpoint in ENDPOINTS:
        for role in ROLES:
            marks = []
            if role in endpoint.holes:
                marks.append(pytest.mark.xfail(strict=True, reason=endpoint.holes[role]))
            yield pytest.param(endpoint, role, id=f"{endpoint.name}-{role}", marks=marks)


def _text(response) -> str:
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)
                         for cell in r if cell is not None)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _call(client, endpoint, url, body):
    if endpoint.method == "GET":
        return client.get(url)
    if endpoint.form:
        return client.post(url, body)
    return client.post(url, body, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "role"), list(_cases()))
def test_authorization_matrix(world, endpoint, role, signing_key):
    cache.clear()  # throttles keep their history in the cache
    # the world's closed tenders were driven past their deadlines on a shifted clock: ask on it too,
    # so their bids are unsealed, while the sealed tender's deadline is still ahead (P4)
    with time_machine.travel(world.clock, tick=True):
        _check(world, endpoint, role)


def _check(world, endpoint, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(world.users[role])
    before = endpoint.state(world) if endpoint.state else None
    response = _call(client, endpoint, endpoint.url(world), endpoint.body(world))

    expected = endpoint.expect[role]
    acceptable = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in acceptable, (
        f"{endpoint.method} {endpoint.name} as {role}: {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}")
    if response.status_code == 302 and role == "anonymous":
        assert "login/" in response["Location"]
    if endpoint.marker and response.status_code == 200:
        if role in endpoint.sees:  # the marker is findable, so its absence below means something
            assert endpoint.marker(world) in _text(response), f"{role} should see organization A's object"
        else:
            assert endpoint.marker(world) not in _text(response), f"{role} sees organization A's object"
    if endpoint.state and role not in endpoint.changes:
        assert endpoint.state(world) == before, f"{role} changed what it may not"
    if endpoint.state and role in endpoint.changes and response.status_code in (200, 201, 202, 302):
        # the write really works for who may: so the refusals above are not of a call that never works
        assert endpoint.state(world) != before, f"{role} was answered {response.status_code} but nothing changed"
