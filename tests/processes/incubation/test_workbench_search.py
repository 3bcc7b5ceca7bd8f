"""The incubation case list searches by part of the organization's name (the engine's search
key on the task routes) and sorts by a whitelisted key, at a fixed number of queries."""
import pytest

from processes.incubation import services
from tests.factories import OrganizationFactory, org_user

pytestmark = pytest.mark.django_db


def _submitted(base, name, username):
    org = OrganizationFactory(name=name)
    user = org_user(org, username=username)
    application = services.application_create(actor=user, organization=org, base=base, plan="x", documents=["a"])
    return services.application_submit(actor=user, application=application)


def test_search_by_part_of_the_organization_name_and_sort(client, people, base, django_assert_max_num_queries):
    wanted = _submitted(base, "中原区银发志愿服务社", "search_a")
    other = _submitted(base, "惠济区青少年成长中心", "search_b")
    client.force_login(people["staff"])
    with django_assert_max_num_queries(20) as few:
        html = client.get("/workbench/incubation/?q=银发志愿").content.decode()
    assert wanted.reference in html and other.reference not in html
    for i in range(3):
        _submitted(base, f"银发志愿第{i}分社", f"search_c{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/workbench/incubation/?q=银发志愿&sort=reference").content.decode()
    assert html.count("银发志愿") >= 4 and other.reference not in html
    assert html.index(wanted.reference) < html.index("银发志愿第2分社")  # by reference, ascending
    assert client.get("/workbench/incubation/?sort=drop_table").status_code == 200  # not a sort key: ignored
