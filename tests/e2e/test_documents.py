"""In a real browser (issue #9): an organization uploads its application materials in the
portal, the base's staff open them on the task page, and a missing required kind blocks the
acceptance with a message saying which."""
import pytest
from django.contrib.auth import get_user_model

from engine.cases.models import TaskRoute
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from processes.incubation.models import IncubationApplication, Status

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _file(name, title):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(title)}


def test_materials_uploaded_in_the_portal_are_opened_on_the_task_page(browser_page, live_server, demo_data, settings,
                                                                      tmp_path):
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")
    page = browser_page
    login(page, live_server, "org_green", demo_data["password"])
    page.goto(f"{live_server.url}/incubation/apply/")
    page.fill("textarea[name=plan]", "青年志愿者能力提升")
    page.locator("input[name=files_charter]").set_input_files([_file("章程.pdf", "Charter")])
    page.locator("input[name=files_application]").set_input_files(
        [_file("孵化申请书.pdf", "Application"), _file("年度计划.pdf", "Plan")])
    with page.expect_navigation():
        page.click("button[name=submit]")
    case = IncubationApplication.objects.get(organization__members__username="org_green")
    assert case.status == Status.INTAKE_CHECK
    page.click(f"a[href='/incubation/{case.reference}/documents/']")
    panel = page.locator(f"#documents-{case.reference}")
    assert "孵化申请书.pdf" in panel.inner_text() and "章程.pdf" in panel.inner_text()

    page.context.clear_cookies()
    login(page, live_server, "base_staff", demo_data["password"])
    route = TaskRoute.objects.get(reference=case.reference, node="intake")
    page.goto(f"{live_server.url}/workbench/tasks/task/{route.pk}/")
    panel = page.locator(f"#documents-{case.reference}")
    panel.wait_for()
    link = panel.locator("a", has_text="章程.pdf").first
    answer = page.request.get(live_server.url + link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.body() == pdf_bytes("Charter")

    page.click("button[value=claim]")
    page.locator("button[value=release]").wait_for()
    page.click("#decision-form button[value=accept]")
    page.get_by_text("缺少必需的材料：理事会成员名单").first.wait_for()
    case.refresh_from_db()
    assert case.status == Status.INTAKE_CHECK
    assert Document.objects.filter(reference=case.reference).count() == 3
    assert get_user_model().objects.get(username="base_staff").pk == TaskRoute.objects.get(pk=route.pk).owner_id
