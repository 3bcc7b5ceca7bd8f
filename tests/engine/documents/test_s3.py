"""The same upload and download against S3-compatible storage: moto's server on loopback,
reached through django-storages and boto3 like any S3 endpoint (no PostgreSQL needed)."""
import boto3
import pytest
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from engine.documents import services
from engine.documents.samples import pdf_bytes

from .conftest import pdf

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
