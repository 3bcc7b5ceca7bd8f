"""The workbench page of commendations (CM1/CM2): staff and heads commend and revoke, others
only read what concerns them; search, filters and sorting; a fixed number of queries."""
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from engine.directory.models import Department
from processes.certification.models import Commendation
from processes.certification.services.commendations import commendation_create
from tests.factories import member

pytestmark = pytest.mark.django_db
URL = "/workbench/certificates/commendations/"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def civ_staff(db):
    return member("civ", "staff", username="civ_staff")


def make(actor, volunteer, n=1):
    civ = Department.objects.get(code="civ")
    for i in range(n):
        commendation_create(actor=actor, department=civ, title=f"优秀志愿者{i}", reason="表现突出",
                            commended_on=date(2026, 5, 1), volunteer=volunteer)


def test_staff_commend_a_volunteer_by_number_and_revoke(civ_staff, volunteer):
    page = client_for(civ_staff)
    assert reverse("certificates:commendations") == URL
    response = page.post(URL, {"action": "create", "department": Department.objects.get(code="civ").pk,
                               "volunteer_number": volunteer.volunteer_number, "title": "抗疫先锋",
                               "reason": "连续服务三十天", "commended_on": "2026-05-04"}, follow=True)
    assert response.status_code == 200
    commendation = Commendation.objects.get()
    assert commendation.volunteer == volunteer and commendation.title == "抗疫先锋"
    assert "抗疫先锋" in response.content.decode()
    page.post(URL, {"action": "revoke", "commendation": commendation.pk, "reason": "核实有误"})
    commendation.refresh_from_db()
    assert commendation.is_revoked


def test_bad_input_is_said_and_changes_nothing(civ_staff, volunteer):
    page = client_for(civ_staff)
    civ = Department.objects.get(code="civ").pk
    for data in ({"volunteer_number": "NOPE"}, {"volunteer_number": volunteer.volunteer_number, "commended_on": "2026-02-31"},
                 {"department": Department.objects.get(code="mca").pk},
                 # too long a reason is refused, not cut short without a word
                 {"volunteer_number": volunteer.volunteer_number, "reason": "好" * 2001}):
        body = {"action": "create", "department": civ, "title": "好", "reason": "好", "commended_on": "2026-05-04", **data}
        response = page.post(URL, body, follow=True)
        assert response.status_code == 200
    assert not Commendation.objects.exists()


def test_a_reviewer_sees_no_form_and_cannot_commend(volunteer):
    reviewer = member("civ", "reviewer", username="civ_rev")
    page = client_for(reviewer)
    assert 'value="create"' not in page.get(URL).content.decode()
    page.post(URL, {"action": "create", "department": Department.objects.get(code="civ").pk,
                    "volunteer_number": volunteer.volunteer_number, "title": "好", "reason": "好",
                    "commended_on": "2026-05-04"})
    assert not Commendation.objects.exists()


def test_volunteer_sees_own_commendation_in_the_portal_not_the_staff_workbench(civ_staff, volunteer, vol_user):
    make(civ_staff, volunteer)
    assert "优秀志愿者0" in client_for(vol_user).get("/portal/certification/").content.decode()
    assert client_for(vol_user).get(URL).status_code == 403  # the workbench is the departments' own


def test_search_filters_and_sort(civ_staff, volunteer):
    make(civ_staff, volunteer, 3)
    page = client_for(civ_staff)
    body = page.get(URL, {"q": "优秀志愿者2", "state": "standing", "subject": "volunteer", "sort": "title"}).content.decode()
    assert "优秀志愿者2" in body and "优秀志愿者1" not in body
    assert "优秀志愿者" not in page.get(URL, {"subject": "organization"}).content.decode().split("<table")[1].split("</table>")[0]


@pytest.mark.parametrize("n", [2, 30])
def test_page_queries_do_not_grow(civ_staff, volunteer, n, django_assert_max_num_queries):
    make(civ_staff, volunteer, n)
    page = client_for(civ_staff)
    page.get(URL)  # warm the session and content types
    with django_assert_max_num_queries(14):
        assert page.get(URL, {"sort": "date"}).status_code == 200
