"""Login lockout: repeated wrong passwords for one username from one address lock the pair
out for the cool-off period on the login page, the admin login and the API token endpoint;
the right password is refused meanwhile, another address is not affected."""
import pytest
from axes.models import AccessAttempt
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "pw-123456"


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _fail_page(client, url, username, times, **extra):
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong-one"}, **extra)


def test_login_page_locks_out_after_the_limit_then_refuses_the_right_password(client, limit):
    UserFactory(username="alice")
    _fail_page(client, "/accounts/login/", "alice", limit)
    page = client.post("/accounts/login/", {"username": "alice", "password": RIGHT})
    assert page.status_code == 429
    assert "登录失败次数过多" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_another_address_may_still_log_in(client, limit):
    UserFactory(username="alice")
    _fail_page(client, "/accounts/login/", "alice", limit)
    other = client.post("/accounts/login/", {"username": "alice", "password": RIGHT}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302
    assert other.url == "/"


def test_a_made_up_forwarded_for_header_does_not_lift_the_lockout(client, limit):
    UserFactory(username="alice")
    for n in range(limit):
        client.post("/accounts/login/", {"username": "alice", "password": "x"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    page = client.post("/accounts/login/", {"username": "alice", "password": RIGHT}, HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert page.status_code == 429
    assert "_auth_user_id" not in client.session


def test_below_the_limit_the_right_password_works_and_clears_the_failures(client, limit):
    UserFactory(username="alice")
    _fail_page(client, "/accounts/login/", "alice", limit - 1)
    assert client.post("/accounts/login/", {"username": "alice", "password": RIGHT}).status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()


def test_the_lockout_ends_after_the_cool_off(client, limit, settings, time_machine):
    UserFactory(username="alice")
    time_machine.move_to("2026-03-02 10:00:00+08:00", tick=False)
    _fail_page(client, "/accounts/login/", "alice", limit)
    assert client.post("/accounts/login/", {"username": "alice", "password": RIGHT}).status_code == 429
    time_machine.move_to(f"2026-03-02 10:{settings.AXES_COOLOFF_TIME.seconds // 60 + 1:02d}:00+08:00", tick=False)
    assert client.post("/accounts/login/", {"username": "alice", "password": RIGHT}).status_code == 302


def test_admin_login_locks_out_too(client, limit):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    _fail_page(client, "/admin/login/", "root", limit)
    page = client.post("/admin/login/?next=/admin/", {"username": "root", "password": RIGHT})
    assert page.status_code == 429
    assert "登录失败次数过多" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_token_endpoint_locks_out_with_an_api_error(limit):
    UserFactory(username="alice")
    api = APIClient()
    for _ in range(limit):
        assert api.post("/api/v1/auth/token/", {"username": "alice", "password": "nope"}).status_code == 400
    refused = api.post("/api/v1/auth/token/", {"username": "alice", "password": RIGHT}, format="json")
    assert refused.status_code == 429
    assert refused.json()["code"] == "locked_out"
    assert "登录失败次数过多" in refused.json()["detail"]
    assert not Token.objects.filter(user__username="alice").exists()


def test_forty_wrong_passwords_then_the_right_one_is_refused_everywhere(client, settings):
    """The black-box finding: 40 wrong passwords, then the right one worked."""
    UserFactory(username="alice", is_staff=True)
    _fail_page(client, "/accounts/login/", "alice", 40)
    assert client.post("/accounts/login/", {"username": "alice", "password": RIGHT}).status_code == 429
    assert client.post("/admin/login/", {"username": "alice", "password": RIGHT}).status_code == 429
    assert APIClient().post("/api/v1/auth/token/", {"username": "alice", "password": RIGHT}).status_code == 429
