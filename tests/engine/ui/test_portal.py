"""The portal in pages of their own: an overview, one page per process the user has a part in,
and the account; each reachable from the menu, every link on them opens, a form comes back to
its own page, and a page costs the same number of queries however much the user has."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engine.directory.models import Department
from processes.incubation import services
from tests.engine.ui.linkcheck import broken_links
from tests.factories import OrganizationFactory, UserFactory, org_user

pytestmark = pytest.mark.django_db

PAGES = ["/portal/", "/portal/incubation/", "/portal/procurement/", "/portal/certification/", "/portal/account/"]


@pytest.fixture
def applicant(db):
    return org_user(OrganizationFactory(name="门户测试组织"), username="portal_org")


def _apply(user, organization, plan="社区助老"):
    case = services.application_create(actor=user, organization=organization,
                                       base=Department.objects.get(code="base-city"), plan=plan,
                                       documents=["章程.pdf"])
    return services.application_submit(actor=user, application=case)


def test_an_organization_has_every_page_in_its_menu(client, applicant):
    client.force_login(applicant)
    overview = client.get("/portal/").content.decode()
    for path in PAGES:
        assert f'href="{path}"' in overview
        assert client.get(path).status_code == 200
        assert broken_links(client, path) == []
    assert 'aria-current="page">总览<' in overview


def test_each_process_has_its_own_page(client, applicant):
    case = _apply(applicant, applicant.organizations.get())
    client.force_login(applicant)
    assert case.reference in client.get("/portal/incubation/").content.decode()
    assert case.reference not in client.get("/portal/procurement/").content.decode()
    assert case.reference not in client.get("/portal/").content.decode()
    assert client.get("/portal/no-such-process/").status_code == 404


def test_a_volunteer_sees_only_what_concerns_them(client):
    client.force_login(UserFactory(username="portal_volunteer"))
    overview = client.get("/portal/").content.decode()
    assert 'href="/portal/certification/"' in overview and 'href="/portal/account/"' in overview
    assert 'href="/portal/incubation/"' not in overview and 'href="/portal/procurement/"' not in overview
    assert client.get("/portal/incubation/").status_code == 200  # an empty page, not an error


def test_a_form_comes_back_to_its_page(client, applicant):
    case = _apply(applicant, applicant.organizations.get())
    client.force_login(applicant)
    response = client.post(f"/incubation/{case.reference}/withdraw/")
    assert response.status_code == 302 and response.url == "/portal/incubation/"


def test_the_account_page_shows_the_user(client, applicant):
    client.force_login(applicant)
    page = client.get("/portal/account/").content.decode()
    assert "portal_org" in page and "门户测试组织" in page


@pytest.mark.parametrize("path", ["/portal/", "/portal/incubation/", "/portal/account/"])
def test_a_page_costs_the_same_however_much_the_user_has(client, applicant, path):
    client.force_login(applicant)

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    _apply(applicant, applicant.organizations.get())
    client.get(path)  # caches a first page fills
    few = cost()
    for i in range(3):
        other = OrganizationFactory(name=f"门户测试组织{i}")
        other.members.add(applicant)
        _apply(applicant, other, plan=f"计划{i}")
    assert cost() <= few
