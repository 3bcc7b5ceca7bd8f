import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from engine.directory.models import Organization
from tests.engine.imports.helpers import bad_uscc, csv_bytes, org_row
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _upload(client, data, name="orgs.csv", **extra):
    return client.post(
        "/api/v1/imports/organizations/", {"file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


def test_dry_run_names_the_bad_row_and_writes_nothing():
    client = _client(UserFactory(is_staff=True))
    data = csv_bytes([org_row(1), org_row(2, 统一社会信用代码=bad_uscc(2))], encoding="gbk")
    response = _upload(client, data, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and [e["row"] for e in body["errors"]] == [3]
    assert Organization.objects.count() == 0


def test_submit_returns_a_job_whose_progress_the_user_reads():
    user = UserFactory(is_staff=True)
    client = _client(user)
    response = _upload(client, csv_bytes([org_row(1), org_row(2)]))
    assert response.status_code == 202
    job = client.get(f"/api/v1/imports/jobs/{response.json()['id']}/").json()
    assert (job["status"], job["processed_rows"], job["total_rows"], job["percent"]) == ("done", 2, 2, 100)
    assert Organization.objects.count() == 2
    # someone else's job is not theirs to see
    assert _client(UserFactory()).get(f"/api/v1/imports/jobs/{job['id']}/").status_code == 404


def test_department_staff_without_admin_rights_cannot_import_organizations():
    response = _upload(_client(member("mca", "staff")), csv_bytes([org_row(1)]))
    assert response.status_code == 403
    assert Organization.objects.count() == 0


def test_unknown_resource_is_404():
    client = _client(UserFactory(is_staff=True))
    response = client.post("/api/v1/imports/nothing/", {"file": SimpleUploadedFile("x.csv", b"a\n")}, format="multipart")
    assert response.status_code == 404 and "没有名为" in response.json()["detail"]
