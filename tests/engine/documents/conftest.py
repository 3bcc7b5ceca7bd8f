import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engine.directory.models import Department
from engine.documents.samples import pdf_bytes
from processes.incubation import services
from tests.factories import OrganizationFactory, member, org_user


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    """Each test's files in a directory of its own (the database rolls back, files would not)."""
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")
    return tmp_path / "documents"


@pytest.fixture
def org(db):
    return OrganizationFactory(name="文档测试组织")


@pytest.fixture
def applicant(org):
    return org_user(org, username="doc_applicant")


@pytest.fixture
def staff(db):
    return member("base-city", "staff", username="doc_base_staff")


@pytest.fixture
def outsider(db):
    other = OrganizationFactory(name="无关组织")
    return org_user(other, username="doc_outsider")


@pytest.fixture
def other_staff(db):
    return member("base-jinshui", "staff", username="doc_other_base")


@pytest.fixture
def case(org, applicant):
    base = Department.objects.get(code="base-city")
    return services.application_create(actor=applicant, organization=org, base=base, plan="开展社区助老服务")


def pdf(name="章程.pdf", title="Charter"):
    return SimpleUploadedFile(name, pdf_bytes(title), content_type="application/octet-stream")


def ooxml(main_part: str, name: str):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr(main_part, "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def docx(name="计划书.docx"):
    return ooxml("word/document.xml", name)


def xlsx(name="名单.xlsx"):
    return ooxml("xl/workbook.xml", name)


def elf(name="章程.pdf"):
    return SimpleUploadedFile(name, b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200)


def mz(name="说明.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
