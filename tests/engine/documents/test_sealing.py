"""A process's policy seals documents: until they open nobody but the organization that handed
them in lists, counts or downloads them, in the API, the pages and the admin (P4's hook)."""
import pytest
from django.db.models import Q
from rest_framework.test import APIClient

from engine.audit.models import AuditEvent
from engine.documents import policy, services
from engine.documents.access import visible_documents
from processes.incubation.documents import IncubationDocuments

from .conftest import pdf

pytestmark = pytest.mark.django_db


class SealedApplications(IncubationDocuments):
    def sealed(self, now):
        return Q(kind="application")

    def sealed_until(self, document):
        return "later" if document.kind == "application" else None


@pytest.fixture
def sealing():
    before = policy.policy_for("incubation")
    policy.register("incubation", SealedApplications())
    yield
    policy.register("incubation", before)


def test_sealed_documents_exist_only_for_the_organization_that_handed_them_in(case, applicant, staff, sealing, client):
    (sealed,) = services.document_upload(actor=applicant, case=case, kind="application", files=[pdf("投标.pdf")])
    (open_,) = services.document_upload(actor=applicant, case=case, kind="charter", files=[pdf()])
    assert set(visible_documents(applicant, case)) == {sealed, open_}
    assert list(visible_documents(staff, case)) == [open_]

    api = APIClient()
    api.force_authenticate(staff)
    listed = api.get(f"/api/v1/documents/cases/{case.reference}/").json()
    assert listed["count"] == 1 and "投标.pdf" not in str(listed)
    assert api.get(f"/api/v1/documents/{sealed.pk}/download/").status_code == 404

    admin = type(staff).objects.create_superuser("doc_admin", password="x")
    client.force_login(admin)
    page = client.get("/admin/documents/document/").content.decode()
    assert case.reference in page and page.count(case.reference) >= 1
    assert client.get(f"/admin/documents/document/{sealed.pk}/change/").status_code == 302  # not found: back to the list
    assert client.get(f"/admin/documents/document/{open_.pk}/change/").status_code == 200


def test_the_audit_event_of_a_sealed_document_says_only_that_it_exists(case, applicant, sealing):
    """P4: nothing of a sealed file (name, size, not even its SHA-256) is in the audit trail
    before the seal opens; the process records the hash when it opens (procurement's close)."""
    services.document_upload(actor=applicant, case=case, kind="application", files=[pdf("投标.pdf")])
    event = AuditEvent.objects.get(action="documents.upload")
    assert event.after["kind"] == "application" and event.after["version"] == 1
    assert not {"sha256", "name", "size"} & set(event.after)
