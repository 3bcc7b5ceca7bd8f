"""Links on an application's pages open for whoever can see the page: an earlier step is
linked only for those who may open its task, and "Case history and flow chart" only for those
the engine's case page is open to (both answered 404 before)."""
import pytest

from engine.cases.models import TaskRoute
from tests.engine.ui.linkcheck import broken_links

from .conftest import open_route

pytestmark = pytest.mark.django_db


def test_a_step_in_another_roles_queue_is_shown_without_a_link(client, submitted, people):
    intake = open_route(submitted, "intake")
    client.force_login(people["reviewer"])  # the base's reviewer: not the intake queue's role
    page = client.get(f"/workbench/incubation/{submitted.reference}/").content.decode()
    assert intake.step_title in page and intake.get_absolute_url() not in page
    assert broken_links(client, f"/workbench/incubation/{submitted.reference}/") == []

    client.force_login(people["staff"])
    page = client.get(f"/workbench/incubation/{submitted.reference}/").content.decode()
    assert intake.get_absolute_url() in page
    assert client.get(intake.get_absolute_url()).status_code == 200


def test_the_case_history_link_only_for_whom_the_case_page_opens(client, submitted, people):
    case_page = f"/workbench/tasks/case/{submitted.reference}/"
    client.force_login(people["mca_staff"])  # the city bureau sees every base's applications
    page = client.get(f"/workbench/incubation/{submitted.reference}/").content.decode()
    assert submitted.reference in page and case_page not in page
    assert client.get(case_page).status_code == 404
    assert broken_links(client, f"/workbench/incubation/{submitted.reference}/") == []

    client.force_login(people["staff"])
    assert case_page in client.get(f"/workbench/incubation/{submitted.reference}/").content.decode()
    assert client.get(case_page).status_code == 200


def test_the_case_page_links_only_the_steps_the_reader_may_open(client, submitted, people, flow):
    flow.accept(submitted)
    client.force_login(people["reviewer"])
    case_page = f"/workbench/tasks/case/{submitted.reference}/"
    page = client.get(case_page).content.decode()
    for route in TaskRoute.objects.filter(reference=submitted.reference, node="score"):
        assert route.get_absolute_url() not in page  # an expert's own task (I2)
    assert broken_links(client, case_page) == []
