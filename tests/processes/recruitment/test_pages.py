"""The pages: the public list (search, filters, sorting), a recruitment's page for a volunteer
and for its organization, the portal card and the workbench list, each in a fixed number of
queries at two data sizes."""
import pytest
from django.test import Client

from processes.recruitment.models import SignUp, Skill
from processes.recruitment.services.signups import signup_create
from tests.factories import member

from .conftest import coming_activity, person, publish

pytestmark = pytest.mark.django_db


def grow(org, manager, n, start):
    skill = Skill.objects.get_or_create(name="急救")[0]
    for i in range(n):
        activity = coming_activity(org, manager, name=f"活动{start + i}", days=2 + start + i)
        recruitment = publish(manager, activity, title=f"招募{start + i}", skills=[skill])
        signup_create(actor=person(200 + start + i), slot_id=recruitment.slots.get().pk)
    return skill


def logged(user):
    c = Client()
    c.force_login(user)
    return c


# The ceiling for one page, whatever the data: session, user, unread count, the page's own lists.
CEILING = 40


@pytest.mark.parametrize("path", ["/recruitment/", "/recruitment/?q=招募&skill=急救&sort=-start",
                                  "/portal/recruitment/", "/workbench/recruitments/?q=招募&sort=title"])
def test_pages_ask_a_fixed_number_of_queries(org, manager, django_assert_max_num_queries, path):
    viewers = {"/workbench/": member("mca", "staff", username="rc_staff")}
    viewer = next((u for prefix, u in viewers.items() if path.startswith(prefix)), manager)
    c = logged(viewer)
    grow(org, manager, 2, 0)
    c.get(path)  # warm caches (content types, sessions) as a running server would
    with django_assert_max_num_queries(CEILING) as small:
        assert c.get(path).status_code == 200
        small_count = len(small)  # read now: the next request resets the connection's query log
    assert small_count > 0
    grow(org, manager, 6, 10)
    c.get(path)  # the sign-ups notified the manager: their unread count is cached again
    with django_assert_max_num_queries(small_count) as large:
        response = c.get(path)
        large_count = len(large)
    assert response.status_code == 200
    assert large_count == small_count


def test_a_recruitments_page_asks_a_fixed_number_of_queries(org, manager, django_assert_max_num_queries):
    recruitment = publish(manager, coming_activity(org, manager), places=50)
    slot = recruitment.slots.get()
    for n in range(2):
        signup_create(actor=person(300 + n), slot_id=slot.pk)
    c = logged(manager)
    c.get(f"/recruitment/{recruitment.pk}/")  # warm caches as a running server would
    with django_assert_max_num_queries(CEILING) as small:
        assert c.get(f"/recruitment/{recruitment.pk}/").status_code == 200
        small_count = len(small)  # read now: the next request resets the connection's query log
    assert small_count > 0
    for n in range(2, 10):
        signup_create(actor=person(300 + n), slot_id=slot.pk)
    c.get(f"/recruitment/{recruitment.pk}/")  # the sign-ups notified the manager: the unread count is cached again
    with django_assert_max_num_queries(small_count) as large:
        page = c.get(f"/recruitment/{recruitment.pk}/")
        large_count = len(large)
    assert large_count == small_count
    assert "志愿者309" in page.content.decode()


def test_the_public_list_filters_and_the_volunteer_signs_up_on_the_page(org, manager, vol_user):
    skill = grow(org, manager, 1, 0)
    other = publish(manager, coming_activity(org, manager, name="另一个", days=9), title="外语翻译招募")
    page = Client().get("/recruitment/", {"skill": skill.name}).content.decode()
    assert "招募0" in page and "外语翻译招募" not in page
    page = Client().get("/recruitment/", {"q": "外语"}).content.decode()
    assert "外语翻译招募" in page and "招募0" not in page
    c = logged(vol_user)
    response = c.post(f"/recruitment/{other.pk}/slots/{other.slots.get().pk}/sign-up/", follow=True)
    assert SignUp.objects.get(volunteer__user=vol_user).status == "applied"
    assert "rc-mine" in response.content.decode()
    assert response.content.decode().count("报名成功") == 1  # what happened, said once (the base page shows it)
