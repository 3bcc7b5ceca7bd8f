"""The certificate register links a request to the engine's case page only for readers that
page opens to (it answered 404 to the city bureau), and offers the export only to those who
may download it."""
import pytest

from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from processes.certification.models import Certificate
from processes.certification.services.requests import request_create
from tests.engine.ui.linkcheck import broken_links
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(org, manager, volunteer, vol_user, approved_record):
    case = request_create(actor=vol_user, volunteer=volunteer, organization=org)
    route = TaskRoute.objects.get(reference=case.reference, state__in=["open", "claimed"])
    task_complete(actor=manager, task_id=route.pk, decision="issue")
    return Certificate.objects.get(request=case)


def test_the_request_is_linked_only_where_its_case_page_opens(client, certificate, django_user_model):
    case_page = f"/workbench/tasks/case/{certificate.request.reference}/"
    client.force_login(member("mca", "reviewer", username="city_reviewer"))
    page = client.get("/workbench/certificates/").content.decode()
    assert certificate.number in page and certificate.request.reference in page and case_page not in page
    assert broken_links(client, "/workbench/certificates/") == []

    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "x"))
    assert case_page in client.get("/workbench/certificates/").content.decode()
    assert client.get(case_page).status_code == 200


def test_the_export_is_offered_only_to_who_may_download_it(client, certificate):
    client.force_login(member(None, "expert", username="reg_expert"))
    page = client.get("/workbench/certificates/")
    assert page.status_code == 200 and "/certification/register.xlsx" not in page.content.decode()
    client.force_login(member("mca", "staff", username="reg_staff"))
    assert "/certification/register.xlsx" in client.get("/workbench/certificates/").content.decode()
    assert client.get("/certification/register.xlsx").status_code == 200
