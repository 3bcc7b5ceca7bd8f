"""P10 with issue #9: a published tender's documents (招标文件) are listed in its OCDS release
as ``tender.documents`` (documentType from the codelist, public download address, publication
date, format); withdrawn ones, bid files and every other kind never are. Valid offline."""
import csv
import hashlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from engine.documents.services import document_upload, document_withdraw
from processes.procurement import conf, ocds, services

from .conftest import Driver
from .test_documents import pdf, upload_bid_files

pytestmark = pytest.mark.django_db
API = "/api/v1/procurement"


@pytest.fixture(autouse=True)
def document_root(settings, tmp_path):
    settings.DOCUMENT_FILE_ROOT = str(tmp_path / "documents")


def _codelist(name):
    path = Path(conf.ocds_schema_dir()) / "codelists" / name
    with path.open(encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


def test_the_release_lists_the_current_tender_documents_with_their_public_download(client, drive, people, settings):
    tender = drive.create()
    staff = people["staff"]
    [kept] = document_upload(actor=staff, case=tender, kind="tender", files=[pdf("招标文件.pdf", "tender")])
    [dropped] = document_upload(actor=staff, case=tender, kind="tender", files=[pdf("旧版招标文件.pdf", "old")])
    document_withdraw(actor=staff, document=dropped, reason="换版")
    assert APIClient().get(f"{API}/tenders/{tender.reference}/ocds/").status_code == 404  # a draft has no release

    tender = drive.open_bidding()
    upload_bid_files(drive, 0)
    response = APIClient().get(f"{API}/tenders/{tender.reference}/ocds/")
    assert response.status_code == 200
    package = response.json()
    assert ocds.validation_errors(package) == []
    [listed] = package["releases"][0]["tender"]["documents"]
    version = kept.versions.get()
    assert listed["id"] == f"{tender.reference}-D{kept.pk}"
    assert listed["documentType"] == "biddingDocuments" and listed["documentType"] in _codelist("documentType.csv")
    assert listed["title"] == "招标文件.pdf" and listed["format"] == "application/pdf"
    assert listed["datePublished"] == ocds._date(tender.published_at)
    # the address is the request's site, and anyone can download the very file from it
    url = urlsplit(listed["url"])
    assert url.scheme == "http" and url.netloc == "testserver"
    download = client.get(url.path)
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == version.sha256
    # the public notice links the same file
    notice = client.get(f"/procurement/tenders/{tender.reference}/").content.decode()
    assert f'href="{url.path}"' in notice and "招标文件.pdf" in notice and "旧版招标文件" not in notice
    text = response.content.decode()
    assert "旧版招标文件" not in text and "技术方案" not in text and "bid_" not in text

    # built outside a request (the demo, an export): the configured site address
    settings.PROCUREMENT_PUBLIC_BASE_URL = "https://zhiyuan.example.cn/"
    release = ocds.build_release(drive.reload())
    assert release["tender"]["documents"][0]["url"].startswith("https://zhiyuan.example.cn/procurement/tenders/")


def test_the_list_of_releases_reads_documents_in_a_fixed_number_of_queries(people, budget):
    counts = []
    client = APIClient()
    for tenders in (1, 3):
        for _ in range(tenders if not counts else tenders - 1):
            drive = Driver(people, budget)
            tender = drive.create()
            for name in ("招标文件.pdf", "评分办法.pdf"):
                document_upload(actor=people["staff"], case=tender, kind="tender", files=[pdf(name)])
            drive.open_bidding()
        client.get(f"{API}/ocds/releases/")  # caches warm (content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/ocds/releases/")
        releases = response.json()["releases"]
        assert len(releases) == tenders and all(len(r["tender"]["documents"]) == 2 for r in releases)
        assert ocds.validation_errors(response.json()) == []
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_cancelled_tender_keeps_its_published_documents(drive, people):
    tender = drive.create()
    document_upload(actor=people["staff"], case=tender, kind="tender", files=[pdf("招标文件.pdf")])
    drive.publish()
    cancelled = services.tender_cancel(actor=people["staff"], tender_id=tender.pk, reason="需求变更")
    package = ocds.release_package([ocds.build_release(cancelled)], uri="https://example.invalid/r.json")
    assert ocds.validation_errors(package) == []
    assert [d["title"] for d in package["releases"][0]["tender"]["documents"]] == ["招标文件.pdf"]


def test_documents_uploaded_late_are_dated_by_their_upload(drive, people):
    """The tender documents can only be uploaded before publication, but a document row dated
    after it (imported, or a clock skew) is never published before it existed."""
    tender = drive.create()
    [document] = document_upload(actor=people["staff"], case=tender, kind="tender", files=[pdf("招标文件.pdf")])
    tender = drive.publish()
    later = tender.published_at + timedelta(hours=2)
    type(document).objects.filter(pk=document.pk).update(created_at=later)
    release = ocds.build_release(drive.reload())
    assert release["tender"]["documents"][0]["datePublished"] == ocds._date(later)
