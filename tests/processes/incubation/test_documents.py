"""Incubation uses documents: uploads with the application, the decider sees them on the task
page, and the intake refuses acceptance while a required kind is missing (I1, issue #9)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.settings import base as base_settings
from engine.cases.actions import task_complete
from engine.cases.errors import RuleViolation
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes
from engine.documents.services import document_upload, document_withdraw
from processes.incubation.models import IncubationApplication, Status

from .conftest import open_route

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required_documents(settings):
    settings.DOCUMENT_REQUIRED_KINDS = base_settings.DOCUMENT_REQUIRED_KINDS


def pdf(name):
    return SimpleUploadedFile(name, pdf_bytes(name.encode("unicode_escape").decode()))


def test_acceptance_is_refused_naming_the_missing_kind(submitted, people, applicant):
    document_upload(actor=applicant, case=submitted, kind="charter", files=[pdf("章程.pdf")])
    with pytest.raises(RuleViolation) as refused:
        task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="accept")
    assert "理事会成员名单" in str(refused.value.message) and "章程" not in str(refused.value.message)
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK

    document_upload(actor=applicant, case=submitted, kind="board_members", files=[pdf("理事会成员名单.pdf")])
    task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="accept")
    submitted.refresh_from_db()
    assert submitted.status == Status.EXPERT_REVIEW


def test_a_withdrawn_document_does_not_count(submitted, people, applicant):
    document_upload(actor=applicant, case=submitted, kind="charter", files=[pdf("章程.pdf")])
    (board,) = document_upload(actor=applicant, case=submitted, kind="board_members", files=[pdf("名单.pdf")])
    document_withdraw(actor=applicant, document=board)
    with pytest.raises(RuleViolation):
        task_complete(actor=people["staff"], task_id=open_route(submitted, "intake").pk, decision="accept")


def test_the_task_page_shows_the_documents_and_a_refused_acceptance_says_why(client, submitted, people, applicant):
    (charter,) = document_upload(actor=applicant, case=submitted, kind="charter", files=[pdf("章程.pdf")])
    route = open_route(submitted, "intake")
    client.force_login(people["staff"])
    page = client.get(f"/workbench/tasks/task/{route.pk}/").content.decode()
    assert "章程.pdf" in page and f"/documents/{charter.pk}/" in page
    assert client.get(f"/documents/{charter.pk}/").status_code == 200
    answer = client.post(f"/workbench/tasks/task/{route.pk}/", {"action": "complete", "decision": "accept"}, follow=True)
    assert "缺少必需的材料：理事会成员名单" in answer.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.INTAKE_CHECK


def test_the_apply_page_uploads_the_files_and_submits(client, org, applicant, base):
    client.force_login(applicant)
    page = client.get("/incubation/apply/").content.decode()
    assert 'name="files_charter"' in page and 'name="documents"' not in page
    answer = client.post("/incubation/apply/", {
        "organization": org.pk, "base": base.pk, "plan": "助老", "submit": "1",
        "files_charter": [pdf("章程.pdf")], "files_board_members": [pdf("理事会成员名单.pdf")],
        "files_application": [pdf("申请书.pdf"), pdf("计划书.pdf")]})
    assert answer.status_code == 302
    case = IncubationApplication.objects.get(organization=org)
    assert case.status == Status.INTAKE_CHECK
    kinds = sorted(Document.objects.filter(reference=case.reference).values_list("kind", flat=True))
    assert kinds == ["application", "application", "board_members", "charter"]


def test_a_refused_file_on_the_apply_page_keeps_no_draft_and_no_file(client, org, applicant, base, tmp_path):
    client.force_login(applicant)
    answer = client.post("/incubation/apply/", {
        "organization": org.pk, "base": base.pk, "plan": "助老", "submit": "1",
        "files_charter": [pdf("章程.pdf")],
        "files_application": [SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00" + b"\x00" * 100)]})
    assert answer.status_code == 200 and "申请书.pdf" in answer.content.decode()
    assert not IncubationApplication.objects.exists() and not Document.objects.exists()
    assert not [p for p in (tmp_path / "documents").rglob("*") if p.is_file()]


def test_the_portal_lists_and_takes_documents_of_an_open_application(client, draft, applicant):
    document_upload(actor=applicant, case=draft, kind="charter", files=[pdf("章程.pdf")])
    client.force_login(applicant)
    assert f"/incubation/{draft.reference}/documents/" in client.get("/portal/incubation/").content.decode()
    page = client.get(f"/incubation/{draft.reference}/documents/").content.decode()
    assert f'id="documents-{draft.reference}"' in page and "章程.pdf" in page
    assert f"/documents/case/{draft.reference}/upload/" in page


def test_the_task_page_costs_the_same_with_few_and_many_documents(client, submitted, people, applicant, count_queries):
    route = open_route(submitted, "intake")
    client.force_login(people["staff"])

    def page():
        assert client.get(f"/workbench/tasks/task/{route.pk}/").status_code == 200

    document_upload(actor=applicant, case=submitted, kind="charter", files=[pdf("章程.pdf")])
    page()
    few = count_queries(page)
    document_upload(actor=applicant, case=submitted, kind="application", files=[pdf(f"材料{i}.pdf") for i in range(5)])
    many = count_queries(page)
    assert few == many


def test_the_case_history_names_the_document_events(client, submitted, people, applicant):
    document_upload(actor=applicant, case=submitted, kind="charter", files=[pdf("章程.pdf")])
    client.force_login(people["staff"])
    page = client.get(f"/workbench/tasks/case/{submitted.reference}/").content.decode()
    assert "上传材料" in page and "章程.pdf" in page
