"""A back-filled record's evidence (R12, issue #9): the recording organization's managers hand
it in while the record waits for review; the reviewer (another manager in the portal, or the
supervising department on the workbench) sees it where they decide; the organization's members
and the volunteer see it too, nobody else (404); once reviewed it is final. The settings may
require it before approval."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, NotFound, RuleViolation
from engine.directory.models import OrganizationMember
from engine.documents.models import Document
from engine.documents.services import document_replace, document_upload, document_withdraw
from processes.certification.models import ServiceRecord
from processes.certification.services.registry import record_approve, record_deny, record_enter
from tests.factories import OrganizationFactory, UserFactory, member, org_user

from .conftest import id_number, make_activity, signed
from .test_documents import api, document_root, pdf  # noqa: F401 — document_root: autouse, files in tmp_path

pytestmark = pytest.mark.django_db
API = "/api/v1"
KIND = "backfill_evidence"
BACKFILLS = "/workbench/certificates/backfills/"


def evidence_page(record):
    return f"/certification/portal/records/{record.pk}/evidence/"


def back_fill(org, entrant, volunteer, name="补录活动"):
    return record_enter(actor=entrant, volunteer=volunteer, id_number=volunteer.id_number,
                        activity=make_activity(org, entrant, name=name, hours=3), hours=2, submit=True)


@pytest.fixture
def record(org, manager, manager2, volunteer):
    """A back-fill entered by ``manager``; ``manager2`` reviews it in the portal (R12)."""
    return back_fill(org, manager, volunteer)


def upload_in_portal(client, user, record, name="签到表.pdf"):
    client.force_login(user)
    return client.post(f"/documents/case/{record.reference}/upload/",
                       {"kind": KIND, "files": [pdf(name)], "next": evidence_page(record)})


def test_the_entrant_uploads_and_the_other_manager_sees_it_where_they_decide(client, record, manager, manager2, org,
                                                                            vol_user):
    response = upload_in_portal(client, manager, record)
    assert response.status_code == 302 and response["Location"] == evidence_page(record)
    document = Document.objects.get(kind=KIND)
    assert (document.case_id, document.reference, document.organization_id) == (record.pk, f"BL-{record.pk}", org.pk)
    event = AuditEvent.objects.get(action="documents.upload", object_id=str(record.pk))
    assert event.reference == record.reference and event.after["sha256"] == document.versions.get().sha256

    client.force_login(manager2)
    rows = client.get("/portal/certification/").content.decode()
    assert "签到表.pdf" in rows and evidence_page(record) in rows and f"/documents/{document.pk}/v1/" in rows
    page = client.get(evidence_page(record))
    assert page.status_code == 200 and "签到表.pdf" in page.content.decode()
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    listed = api(manager2).get(f"{API}/documents/cases/{record.reference}/").json()["results"]
    assert [d["versions"][0]["original_name"] for d in listed] == ["签到表.pdf"]

    # a plain member of the organization and the volunteer see it, without the upload form
    plain = UserFactory(username="plain_member")
    OrganizationMember.objects.create(organization=org, user=plain, role=OrganizationMember.Role.MEMBER)
    for user in (plain, vol_user):
        client.force_login(user)
        page = client.get(evidence_page(record)).content.decode()
        assert "签到表.pdf" in page and "/upload/" not in page
        assert client.get(f"/documents/{document.pk}/").status_code == 200
        with pytest.raises(NotAllowed):
            document_upload(actor=user, case=record, kind=KIND, files=[pdf("别人的.pdf")])
    client.force_login(vol_user)
    assert evidence_page(record) in client.get("/portal/certification/").content.decode()


def test_the_department_sees_it_on_the_workbench_when_it_approves(client, volunteer):
    org = OrganizationFactory(name="单负责人协会")  # supervised by 金水区民政局, one manager
    entrant = org_user(org, username="lone_manager")
    staff = member("mca-jinshui", "staff", username="evidence_staff")
    record = back_fill(org, entrant, volunteer)
    [document] = document_upload(actor=entrant, case=record, kind=KIND, files=[pdf("照片.pdf")])

    client.force_login(staff)
    page = client.get(BACKFILLS).content.decode()
    assert "照片.pdf" in page and f"/documents/{document.pk}/v1/" in page and evidence_page(record) in page
    assert client.get(evidence_page(record)).status_code == 200
    assert client.get(f"/documents/{document.pk}/").status_code == 200
    with pytest.raises(NotAllowed):  # the department decides; the organization hands the evidence in
        document_upload(actor=staff, case=record, kind=KIND, files=[pdf("部门.pdf")])
    record_approve(actor=staff, record_id=record.pk)
    assert client.get(f"/documents/{document.pk}/").status_code == 200  # what it decided on stays open to it


def test_nobody_else_sees_it(client, record, manager, org, volunteer):
    [document] = document_upload(actor=manager, case=record, kind=KIND, files=[pdf("签到表.pdf")])
    other_org_manager = org_user(OrganizationFactory(name="别的协会"), username="other_org_mgr")
    stranger = UserFactory(username="vol_stranger", full_name="无关志愿者")
    # the supervising department does not approve here: the organization has another manager
    department = member("mca-jinshui", "staff", username="not_approver_staff")
    other_department = member("base-jinshui", "staff", username="other_dept_staff")
    for user in (other_org_manager, stranger, department, other_department):
        client.force_login(user)
        assert client.get(evidence_page(record)).status_code == 404, user
        assert client.get(f"/documents/{document.pk}/").status_code == 404, user
        assert api(user).get(f"{API}/documents/cases/{record.reference}/").status_code == 404, user
        assert api(user).get(f"{API}/documents/{document.pk}/download/").status_code == 404, user
        response = client.post(f"/documents/case/{record.reference}/upload/", {"kind": KIND, "files": [pdf("x.pdf")]})
        assert response.status_code == 404, user
        with pytest.raises((NotFound, NotAllowed)):
            document_upload(actor=user, case=record, kind=KIND, files=[pdf("伪造.pdf")])
    assert Document.objects.count() == 1


def test_a_sign_in_record_has_no_evidence(client, org, manager, volunteer):
    record = signed(volunteer, make_activity(org, manager, name="签到活动"), 2)
    client.force_login(manager)
    assert client.get(evidence_page(record)).status_code == 404
    assert api(manager).get(f"{API}/documents/cases/{record.reference}/").status_code == 404
    assert api(manager).get(f"{API}/documents/cases/BL-x/").status_code == 404


@pytest.mark.parametrize("review", ["approve", "deny"])
def test_the_evidence_is_final_once_reviewed(client, record, manager, manager2, review):
    [document] = document_upload(actor=manager, case=record, kind=KIND, files=[pdf("签到表.pdf")])
    if review == "approve":
        record_approve(actor=manager2, record_id=record.pk)
    else:
        record_deny(actor=manager2, record_id=record.pk, reason="时长不符")
    record.refresh_from_db()
    with pytest.raises(NotAllowed):
        document_upload(actor=manager, case=record, kind=KIND, files=[pdf("补交.pdf")])
    with pytest.raises(NotAllowed):
        document_replace(actor=manager, document=document, file=pdf("新版.pdf"))
    with pytest.raises(NotAllowed):
        document_withdraw(actor=manager, document=document, reason="撤回")
    response = upload_in_portal(client, manager, record, "补交.pdf")
    assert response.status_code == 302
    page = client.get(evidence_page(record)).content.decode()
    assert "签到表.pdf" in page and "补交.pdf" not in page and "/upload/" not in page and "/withdraw/" not in page
    assert Document.objects.count() == 1 and document.versions.count() == 1


def test_while_pending_the_organization_replaces_and_withdraws(record, manager, manager2):
    [document] = document_upload(actor=manager, case=record, kind=KIND, files=[pdf("模糊.pdf")])
    assert document_replace(actor=manager2, document=document, file=pdf("清晰.pdf")).number == 2
    assert document_withdraw(actor=manager, document=document, reason="传错了").is_withdrawn


def test_the_settings_may_require_it_before_approval(settings, record, manager, manager2):
    settings.DOCUMENT_REQUIRED_KINDS = {**settings.DOCUMENT_REQUIRED_KINDS,
                                        "certification.backfill_approve": [KIND]}
    with pytest.raises(RuleViolation) as refused:
        record_approve(actor=manager2, record_id=record.pk)
    assert refused.value.code == "documents_missing" and "补录佐证材料" in str(refused.value.message)
    record.refresh_from_db()
    assert record.status == "pending"
    document_upload(actor=manager, case=record, kind=KIND, files=[pdf("签到表.pdf")])
    assert record_approve(actor=manager2, record_id=record.pk).status == "approved"


def test_not_required_by_default(org, manager, manager2, entered_volunteer):
    record = record_enter(actor=manager, volunteer=entered_volunteer, activity=make_activity(org, manager, name="默认"),
                          hours=1, submit=True)
    assert record_approve(actor=manager2, record_id=record.pk).status == "approved"


def test_the_api_uploads_for_a_manager(record, manager):
    response = api(manager).post(f"{API}/documents/cases/{record.reference}/",
                                 {"kind": KIND, "files": [pdf("签到表.pdf")]}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()[0]["versions"][0]["original_name"] == "签到表.pdf"


def test_the_reference_names_only_back_fills():
    assert ServiceRecord.pk_of_reference("BL-12") == 12
    assert ServiceRecord.pk_of_reference("BX-2026-000001") is None
    assert ServiceRecord.pk_of_reference("BL-") is None
    assert ServiceRecord.pk_of_reference(id_number(3)) is None


def test_the_back_fill_form_takes_the_evidence_with_it(client, org, manager, manager2, volunteer):
    activity = make_activity(org, manager, name="带材料补录", hours=3)
    client.force_login(manager)
    form = {"activity": activity.pk, "volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number,
            "hours": "2"}
    response = client.post("/certification/portal/records/", {**form, "files": [pdf("签到表照片.pdf")]}, follow=True)
    record = ServiceRecord.objects.get(activity=activity)
    assert record.source == "backfill" and record.status == "pending"
    assert [d.versions.get().original_name for d in Document.objects.filter(case_id=record.pk, kind=KIND)] == ["签到表照片.pdf"]
    assert "签到表照片.pdf" in response.content.decode()


def test_a_refused_evidence_file_enters_nothing(client, org, manager, volunteer):
    activity = make_activity(org, manager, name="坏文件补录", hours=3)
    client.force_login(manager)
    renamed = SimpleUploadedFile("签到表.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    response = client.post("/certification/portal/records/", {
        "activity": activity.pk, "volunteer": volunteer.volunteer_number, "id_number": volunteer.id_number,
        "hours": "2", "files": [renamed]}, follow=True)
    assert "签到表.pdf" in response.content.decode()  # the refusal names the file
    assert not ServiceRecord.objects.filter(activity=activity).exists() and not Document.objects.exists()
