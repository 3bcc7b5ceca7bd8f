"""A payment's status change in a tender's history reads with the payment's own labels
(not "requested → approved")."""
import pytest
from django.utils import timezone

from processes.procurement import services

pytestmark = pytest.mark.django_db


def test_payment_status_change_in_words(client, drive, people):
    tender = drive.delivery()
    today = str(timezone.localdate())
    milestone = services.milestone_add(actor=people["staff"], tender_id=tender.pk, name="一期", due_date=today,
                                       amount="1000.00")
    services.milestone_accept(actor=people["reviewer"], milestone_id=milestone.pk)
    payment = services.payment_request(actor=people["org_users"][1], milestone_id=milestone.pk, amount="1000.00")
    services.payment_approve(actor=people["fin"], payment_id=payment.pk)
    client.force_login(people["head"])
    page = client.get(f"/workbench/tasks/case/{tender.reference}/").content.decode()
    assert "requested" not in page and "approved" not in page
    assert f"{payment._meta.verbose_name}: {payment.Status.REQUESTED.label} → {payment.Status.APPROVED.label}" in page
