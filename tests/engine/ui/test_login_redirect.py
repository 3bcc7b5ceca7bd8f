import pytest

pytestmark = pytest.mark.django_db


def test_a_workbench_link_sends_someone_signed_out_to_login_and_back(client):
    response = client.get("/workbench/tasks/?view=queue")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workbench/tasks/%3Fview%3Dqueue"


def test_pages_outside_the_workbench_are_not_affected(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/workbench").status_code in (301, 302)  # the slash first, then login
