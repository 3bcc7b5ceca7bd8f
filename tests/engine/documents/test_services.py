"""Upload, new version, withdrawal, refusals and limits (issue #9)."""
import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from engine.audit.models import AuditEvent
from engine.cases.errors import NotAllowed, RuleViolation
from engine.documents import services
from engine.documents.models import Document, DocumentVersion
from engine.documents.samples import pdf_bytes
from processes.incubation.models import Milestone
from processes.incubation.services import application_create
from tests.factories import OrganizationFactory, org_user

from .conftest import docx, elf, mz, pdf, xlsx

pytestmark = pytest.mark.django_db


def stored_files(root):
    return [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]


def test_upload_keeps_name_size_hash_and_detected_type(case, applicant, document_root):
    documents = services.document_upload(actor=applicant, case=case, kind="charter",
                                         files=[pdf("章程（2026年修订）.pdf"), docx(), xlsx()])
    assert [d.kind for d in documents] == ["charter"] * 3
    versions = [d.versions.get() for d in documents]
    assert [v.original_name for v in versions] == ["章程（2026年修订）.pdf", "计划书.docx", "名单.xlsx"]
    assert versions[0].content_type == "application/pdf"
    assert versions[1].content_type.endswith("wordprocessingml.document")
    assert versions[2].content_type.endswith("spreadsheetml.sheet")
    assert all(len(v.sha256) == 64 and v.size > 0 for v in versions)
    assert documents[0].organization_id == case.organization_id and documents[0].reference == case.reference
    assert len(stored_files(document_root)) == 3


def test_upload_writes_an_audit_event_with_the_sha256(case, applicant):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    version = document.versions.get()
    event = AuditEvent.objects.get(action="documents.upload", reference=case.reference)
    assert event.after["sha256"] == version.sha256
    assert event.after["document"] == document.pk and event.after["name"] == "章程.pdf"


@pytest.mark.parametrize("make", [elf, mz])
def test_a_renamed_executable_is_refused_naming_the_file_and_nothing_is_stored(case, applicant, document_root, make):
    with pytest.raises(RuleViolation) as refused:
        services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("好的.pdf"), make()])
    assert refused.value.code == "file_refused"
    assert make().name in str(refused.value.message)
    assert not Document.objects.exists() and stored_files(document_root) == []


def test_a_zip_that_is_not_ooxml_is_refused(case, applicant):
    plain_zip = SimpleUploadedFile("伪装.docx", docx().read().replace(b"word/document.xml", b"word/other.xml!"))
    with pytest.raises(RuleViolation):
        services.document_upload(actor=applicant, case=case, kind="application", files=[plain_zip])


def test_a_file_over_the_limit_is_refused(case, applicant, settings, document_root):
    settings.DOCUMENT_MAX_FILE_BYTES = 1000
    with pytest.raises(RuleViolation) as refused:
        services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("大文件.pdf")])
    assert "大文件.pdf" in str(refused.value.message)
    assert not Document.objects.exists() and stored_files(document_root) == []


def test_the_case_limit_counts_every_stored_version(case, applicant, settings, document_root):
    size = len(pdf_bytes("Charter"))
    settings.DOCUMENT_MAX_CASE_BYTES = size * 2 + 10
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    services.document_replace(actor=applicant, document=document, file=pdf())
    with pytest.raises(RuleViolation) as refused:
        services.document_upload(actor=applicant, case=case, kind="board_members", files=[pdf("名单.pdf")])
    assert refused.value.code == "case_limit"
    assert DocumentVersion.objects.count() == 2 and len(stored_files(document_root)) == 2


def test_the_virus_scan_hook_refuses(case, applicant, settings, document_root):
    settings.DOCUMENT_VIRUS_SCAN = "tests.engine.documents.scan.refuse_everything"
    with pytest.raises(RuleViolation) as refused:
        services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    assert "章程.pdf" in str(refused.value.message) and "EICAR" in str(refused.value.message)
    assert stored_files(document_root) == []


def test_a_new_version_keeps_the_earlier_one(case, applicant):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("章程v1.pdf")])
    version = services.document_replace(actor=applicant, document=document, file=pdf("章程v2.pdf", "v2"))
    assert version.number == 2
    assert list(document.versions.order_by("number").values_list("original_name", flat=True)) == ["章程v1.pdf", "章程v2.pdf"]
    event = AuditEvent.objects.get(action="documents.replace")
    assert event.after["sha256"] == version.sha256 and event.after["version"] == 2


def test_withdrawal_keeps_the_document_and_its_history(case, applicant):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    services.document_withdraw(actor=applicant, document=document, reason="上传错了")
    document.refresh_from_db()
    assert document.is_withdrawn and document.withdraw_reason == "上传错了"
    assert document.versions.count() == 1
    event = AuditEvent.objects.get(action="documents.withdraw")
    assert event.after["sha256"] == document.versions.get().sha256 and event.reason == "上传错了"
    with pytest.raises(NotAllowed):
        services.document_withdraw(actor=applicant, document=document)


def test_versions_and_documents_cannot_be_changed_or_deleted_in_the_database(case, applicant):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    for attempt in (lambda: DocumentVersion.objects.filter(document=document).update(sha256="0" * 64),
                    lambda: DocumentVersion.objects.filter(document=document).delete(),
                    lambda: Document.objects.filter(pk=document.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert document.versions.get().sha256 != "0" * 64


def test_outsiders_and_other_bases_may_not_upload(case, outsider, other_staff):
    for user in (outsider, other_staff):
        with pytest.raises(Exception) as refused:
            services.document_upload(actor=user, case=case, kind="charter", files=[pdf()])
        assert refused.value.__class__.__name__ in {"NotFound", "NotAllowed"}
    assert not Document.objects.exists()


def test_an_unknown_kind_is_refused(case, applicant):
    with pytest.raises(RuleViolation):
        services.document_upload(actor=applicant, case=case, kind="bid_price", files=[pdf()])


def test_require_documents_names_the_missing_kinds(case, applicant):
    with pytest.raises(RuleViolation) as refused:
        services.require_documents(case, "incubation.intake")
    assert refused.value.code == "documents_missing"
    assert "章程" in str(refused.value.message) and "理事会成员名单" in str(refused.value.message)
    services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    with pytest.raises(RuleViolation) as refused:
        services.require_documents(case, "incubation.intake")
    assert "章程" not in str(refused.value.message)
    services.document_upload(actor=applicant, case=case, kind="board_members", files=[pdf("名单.pdf")])
    services.require_documents(case, "incubation.intake")


def test_a_document_can_be_about_one_object_of_the_case(case, applicant, staff, document_root):
    """Only an object of the same case, of a type the process allows for the kind (incubation:
    a milestone for milestone evidence); anything else is refused and nothing is stored."""
    milestone = Milestone.objects.create(application=case, kind=Milestone.Kind.TRAINING, title="能力建设培训",
                                         happened_on=datetime.date(2026, 3, 1), evidence="签到表", recorded_by=staff)
    (document,) = services.document_upload(actor=applicant, case=case, kind="milestone_evidence",
                                           files=[pdf("培训签到表.pdf")], subject=milestone)
    assert (document.subject_type.model_class(), document.subject_id) == (Milestone, milestone.pk)
    other_org = OrganizationFactory(name="另一个申请组织")
    other = application_create(actor=org_user(other_org, username="doc_other_applicant"), organization=other_org,
                               base=case.department, plan="另一个计划")
    elsewhere = Milestone.objects.create(application=other, kind=Milestone.Kind.TRAINING, title="别处的培训",
                                         happened_on=datetime.date(2026, 3, 1), evidence="—", recorded_by=staff)
    for subject, kind in ((case.organization, "milestone_evidence"), (elsewhere, "milestone_evidence"),
                          (milestone, "charter")):
        with pytest.raises(RuleViolation) as refused:
            services.document_upload(actor=applicant, case=case, kind=kind, files=[pdf("不对.pdf")], subject=subject)
        assert refused.value.code == "subject_invalid"
    assert Document.objects.filter(case_id=case.pk).count() == 1
    assert len(stored_files(document_root)) == 1
