"""API tokens expire after API_TOKEN_TTL_HOURS and die at logout and at a password change."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _token(username="alice", password="pw-123456"):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _as(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_token_is_refused_once_it_is_older_than_its_lifetime(settings, time_machine):
    settings.API_TOKEN_TTL_HOURS = 8
    UserFactory(username="alice")
    time_machine.move_to("2026-03-02 09:00:00+08:00", tick=False)
    issued = _token()
    assert issued["expires_at"].startswith("2026-03-02T17:00:00")
    time_machine.move_to("2026-03-02 16:59:00+08:00", tick=False)
    assert _as(issued["token"]).get("/api/v1/me/").status_code == 200
    time_machine.move_to("2026-03-02 17:01:00+08:00", tick=False)
    expired = _as(issued["token"]).get("/api/v1/me/")
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"
    assert "过期" in expired.json()["detail"]
    # asking again gives a new token; the old key stays dead
    renewed = _token()
    assert renewed["token"] != issued["token"]
    assert _as(renewed["token"]).get("/api/v1/me/").status_code == 200
    assert _as(issued["token"]).get("/api/v1/me/").status_code == 401


def test_an_unexpired_token_is_handed_out_again_not_renewed():
    UserFactory(username="alice")
    first, second = _token(), _token()
    assert first["token"] == second["token"]


def test_web_logout_revokes_the_users_tokens(client):
    alice = UserFactory(username="alice")
    key = _token()["token"]
    client.force_login(alice)
    client.post("/accounts/logout/")
    assert not Token.objects.filter(user=alice).exists()
    assert _as(key).get("/api/v1/me/").status_code == 401


def test_api_logout_revokes_the_callers_token_and_needs_one():
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    key, bobs = _token()["token"], _token("bob")["token"]
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401
    assert Token.objects.filter(user=alice).exists()
    assert _as(key).post("/api/v1/auth/logout/").status_code == 204
    assert _as(key).get("/api/v1/me/").status_code == 401
    assert Token.objects.filter(user=bob).exists()  # nobody else's
    assert _as(bobs).get("/api/v1/me/").status_code == 200


def test_password_change_revokes_tokens_but_other_saves_do_not():
    alice = UserFactory(username="alice")
    key = _token()["token"]
    alice.full_name = "爱丽丝"
    alice.save()
    assert _as(key).get("/api/v1/me/").status_code == 200
    alice.set_password("another-pass-2026")
    alice.save()
    assert _as(key).get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=alice).exists()


def test_password_change_through_the_admin_form_revokes_tokens(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    alice = UserFactory(username="alice")
    key = _token()["token"]
    client.force_login(root)
    response = client.post(
        f"/admin/directory/user/{alice.pk}/password/",
        {"password1": "Neues-Kennwort-2026", "password2": "Neues-Kennwort-2026", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert _as(key).get("/api/v1/me/").status_code == 401


def test_token_created_in_the_past_by_other_code_is_checked_too(settings):
    alice = UserFactory(username="alice")
    token = Token.objects.create(user=alice)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(hours=settings.API_TOKEN_TTL_HOURS, minutes=1))
    assert _as(token.key).get("/api/v1/me/").status_code == 401
