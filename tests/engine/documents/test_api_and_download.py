"""The documents API and the download view: content, headers, Chinese names, rights, query budget."""
from urllib.parse import quote

import pytest
from rest_framework.test import APIClient

from engine.documents import services
from engine.documents.models import Document
from engine.documents.samples import pdf_bytes

from .conftest import docx, elf, pdf

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_upload_several_files_through_the_api_and_list_them(case, applicant):
    answer = api(applicant).post(f"/api/v1/documents/cases/{case.reference}/",
                                 {"kind": "application", "files": [pdf("申请书.pdf"), docx("计划书.docx")]},
                                 format="multipart")
    assert answer.status_code == 201, answer.content
    assert [d["versions"][0]["original_name"] for d in answer.json()] == ["申请书.pdf", "计划书.docx"]
    listed = api(applicant).get(f"/api/v1/documents/cases/{case.reference}/").json()
    assert listed["count"] == 2 and listed["results"][0]["kind_label"] == "申请材料"


def test_a_refused_upload_answers_400_in_the_error_format_naming_the_file(case, applicant):
    answer = api(applicant).post(f"/api/v1/documents/cases/{case.reference}/",
                                 {"kind": "charter", "files": [elf("章程.pdf")]}, format="multipart")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "file_refused" and "章程.pdf" in body["fields"]["files"][0]
    assert not Document.objects.exists()


def test_download_streams_the_file_with_its_chinese_name_inline_for_pdf(case, applicant, staff):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("章程（修订）.pdf")])
    answer = api(staff).get(f"/api/v1/documents/{document.pk}/download/")
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == pdf_bytes("Charter")
    assert answer["Content-Type"] == "application/pdf"
    assert answer["X-Content-Type-Options"] == "nosniff"
    disposition = answer["Content-Disposition"]
    assert disposition.startswith("inline;") and f"filename*=utf-8''{quote('章程（修订）.pdf')}" in disposition
    assert "sandbox" not in answer["Content-Security-Policy"]  # a browser's PDF viewer must run


def test_word_files_are_downloaded_as_attachments_from_the_page(case, applicant, client):
    (document,) = services.document_upload(actor=applicant, case=case, kind="application", files=[docx("计划书.docx")])
    client.force_login(applicant)
    answer = client.get(f"/documents/{document.pk}/")
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment;")
    assert answer["Content-Security-Policy"].startswith("sandbox") and answer["X-Content-Type-Options"] == "nosniff"
    assert quote("计划书.docx") in answer["Content-Disposition"]


def test_someone_without_the_right_gets_404_on_the_api_and_the_page(case, applicant, outsider, other_staff, client):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    for user in (outsider, other_staff):
        answer = api(user).get(f"/api/v1/documents/{document.pk}/download/")
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
        assert api(user).get(f"/api/v1/documents/cases/{case.reference}/").status_code == 404
        client.force_login(user)
        assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert api(outsider).post(f"/api/v1/documents/{document.pk}/withdraw/", {}, format="json").status_code == 404


def test_new_version_and_withdrawal_through_the_api_keep_the_history(case, applicant):
    (document,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf("章程.pdf")])
    answer = api(applicant).post(f"/api/v1/documents/{document.pk}/versions/", {"file": pdf("章程-新.pdf", "v2")},
                                 format="multipart")
    assert answer.status_code == 201 and answer.json()["latest_number"] == 2
    first = api(applicant).get(f"/api/v1/documents/{document.pk}/download/?version=1")
    assert b"".join(first.streaming_content) == pdf_bytes("Charter")
    latest = api(applicant).get(f"/api/v1/documents/{document.pk}/download/")
    assert b"".join(latest.streaming_content) == pdf_bytes("v2")
    withdrawn = api(applicant).post(f"/api/v1/documents/{document.pk}/withdraw/", {"reason": "作废"}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert [v["number"] for v in withdrawn.json()["versions"]] == [2, 1]
    again = api(applicant).post(f"/api/v1/documents/{document.pk}/withdraw/", {}, format="json")
    assert again.status_code == 403


def test_the_list_costs_the_same_number_of_queries_for_few_and_many_documents(case, applicant, staff, count_queries):
    client = api(staff)
    url = f"/api/v1/documents/cases/{case.reference}/"

    def fetch():
        assert client.get(url).status_code == 200

    services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    fetch()  # warm the per-process caches (content types)
    few = count_queries(fetch)
    for document in services.document_upload(actor=applicant, case=case, kind="application",
                                              files=[pdf(f"材料{i}.pdf") for i in range(6)]):
        services.document_replace(actor=applicant, document=document, file=pdf("新版.pdf", "v2"))
    many = count_queries(fetch)
    assert few == many <= 12


def test_the_upload_form_without_javascript_says_what_happened(case, applicant, client):
    client.force_login(applicant)
    answer = client.post(f"/documents/case/{case.reference}/upload/",
                         {"kind": "charter", "files": [pdf("章程.pdf"), pdf("章程副本.pdf")], "next": "/portal/"},
                         follow=True)
    assert answer.redirect_chain[-1][0] == "/portal/"
    assert "已作为“章程”上传到" in answer.content.decode() and "章程副本.pdf" in answer.content.decode()
    refused = client.post(f"/documents/case/{case.reference}/upload/",
                          {"kind": "charter", "files": [elf("病毒.pdf")], "next": "/portal/"}, follow=True)
    assert "“病毒.pdf”不是允许的类型" in refused.content.decode().replace("根据文件内容判断，", "")
    assert Document.objects.count() == 2


def test_an_outside_next_address_is_not_followed(case, applicant, client):
    client.force_login(applicant)
    answer = client.post(f"/documents/case/{case.reference}/upload/",
                         {"kind": "charter", "files": [pdf()], "next": "https://evil.example/"})
    assert answer.status_code == 302 and answer["Location"] == "/"
