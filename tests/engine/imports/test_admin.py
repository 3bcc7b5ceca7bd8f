"""The admin's import/export buttons use the same resources and formats (GBK in, safe out)."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engine.audit.models import AuditEvent
from engine.directory.models import Organization
from engine.imports.models import ImportJob
from engine.imports.services import submit_import
from tests.factories import OrganizationFactory, UserFactory

from .helpers import csv_bytes, org_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_imports_a_gbk_csv_after_a_preview(admin_client):
    url = reverse("admin:directory_organization_import")
    upload = SimpleUploadedFile("组织.csv", csv_bytes([org_row(60)], encoding="gbk"), "text/csv")
    preview = admin_client.post(url, {"format": "0", "import_file": upload})
    assert preview.status_code == 200
    assert not Organization.objects.filter(name="导入测试组织60").exists()
    confirm = preview.context["confirm_form"]
    assert confirm is not None, preview.context["result"].invalid_rows
    done = admin_client.post(reverse("admin:directory_organization_process_import"), confirm.initial)
    assert done.status_code == 302
    assert Organization.objects.get(name="导入测试组织60").district.code == "jinshui"
    event = AuditEvent.objects.get(action="import.done")
    assert event.actor_name == str(preview.wsgi_request.user) and event.after["created"] == 1


def test_admin_export_neutralizes_formulas(admin_client):
    OrganizationFactory(name="=cmd|' /C calc'!A0")
    response = admin_client.post(
        reverse("admin:directory_organization_export"),
        {"format": "0", "resource": "0", **{f"organizationresource_{f}": "on" for f in ("name", "uscc")}},
    )
    assert response.status_code == 200, response.content[:500]
    text = response.content.decode("utf-8-sig")
    assert "'=cmd|' /C calc'!A0" in text
    assert not re.search(r"(^|,)=cmd", text, re.MULTILINE)


def test_import_job_admin_is_read_only(admin_client):
    job = ImportJob.objects.create(resource="organizations", error_report=[
        {"row": 3, "column": "统一社会信用代码", "message": "校验位错误"},
    ])
    assert admin_client.get(reverse("admin:imports_importjob_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    assert "第3行【统一社会信用代码】校验位错误" in page.content.decode()
    assert admin_client.get(reverse("admin:imports_importjob_add")).status_code == 403


def test_a_job_page_shows_the_digest_and_never_a_link_to_the_private_file(admin_client, django_capture_on_commit_callbacks):
    job = submit_import("organizations", csv_bytes([org_row(61)]), "组织.csv")
    page = admin_client.get(reverse("admin:imports_importjob_change", args=[job.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert job.file_digest in text and "/media/" not in text and "import.dat" not in text
