"""The same upload and download against S3-compatible storage: moto's server on loopback,
reached through django-storages and boto3 like any S3 endpoint (no PostgreSQL needed)."""
import boto3
import pytest
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from engine.cases.errors import RuleViolation
from engine.documents import services
from engine.documents.samples import pdf_bytes

from .conftest import elf, mz, pdf

pytestmark = pytest.mark.django_db

BUCKET = "zhiyuan-documents"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "documents": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": BUCKET, "endpoint_url": s3_endpoint, "region_name": "us-east-1",
        "access_key": "testing", "secret_key": "testing", "location": "documents",
        "default_acl": "private", "file_overwrite": False,
    }}}
    assert type(storages["documents"]).__name__ == "S3Storage"
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_upload_and_download_round_trip_on_s3(case, applicant, staff, s3_storage, document_root):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("章程（正式）.pdf")])
    version = document.versions.get()
    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"documents/{version.blob}"] and "章程" not in keys[0]
    assert s3_storage.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == pdf_bytes("Charter")
    assert not document_root.exists()  # nothing in the local directory

    client = APIClient()
    client.force_authenticate(staff)
    answer = client.get(f"/api/v1/documents/{document.pk}/download/")
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == pdf_bytes("Charter")
    assert "filename*=utf-8''" in answer["Content-Disposition"]


def test_a_refused_file_leaves_nothing_in_the_bucket(case, applicant, s3_storage, settings):
    settings.DOCUMENT_MAX_CASE_BYTES = 10
    with pytest.raises(Exception):
        services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    assert "Contents" not in s3_storage.list_objects_v2(Bucket=BUCKET)


def test_on_s3_a_new_version_keeps_the_first_and_refusals_and_rights_hold(case, applicant, staff, outsider, s3_storage,
                                                                          settings):
    """Issue #9's checks on the object store: a new version, a renamed executable and a file over
    the limit refused with nothing stored, a download by someone without the right refused, and
    the Chinese name kept through the round trip."""
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("章程.pdf", "v1")])
    services.document_replace(actor=applicant, document=document, file=pdf("章程（修订）.pdf", "v2"))
    keys = {item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert len(keys) == 2
    for bad in (elf("章程.pdf"), mz("说明.pdf")):
        with pytest.raises(RuleViolation) as refused:
            services.document_upload(actor=applicant, case=case, kind="charter", files=[bad])
        assert bad.name in str(refused.value.message)
    settings.DOCUMENT_MAX_FILE_BYTES = 100
    with pytest.raises(RuleViolation):
        services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("大文件.pdf", "x" * 500)])
    assert {item["Key"] for item in s3_storage.list_objects_v2(Bucket=BUCKET)["Contents"]} == keys

    client = APIClient()
    client.force_authenticate(staff)
    for number, title in ((1, "v1"), (2, "v2")):
        answer = client.get(f"/api/v1/documents/{document.pk}/download/?version={number}")
        assert answer.status_code == 200 and b"".join(answer.streaming_content) == pdf_bytes(title)
    assert "%E4%BF%AE%E8%AE%A2" in client.get(f"/api/v1/documents/{document.pk}/download/")["Content-Disposition"]
    client.force_authenticate(outsider)
    assert client.get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
