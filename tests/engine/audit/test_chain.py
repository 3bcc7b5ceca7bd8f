import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from engine.audit.models import AuditEvent
from engine.audit.services import audit_record
from engine.audit.tamper import triggers_disabled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail():
    actor = UserFactory()
    return [
        audit_record(actor=actor, action="case.submit", object_type="test.case", object_id=i,
                     reference=f"T-2026-{i:06d}", before={"status": "draft"},
                     after={"status": "submitted"}, reason="")
        for i in range(1, 6)
    ]


def test_intact_chain_verifies(trail, capsys):
    call_command("audit_verify")
    assert "共 5 条事件" in capsys.readouterr().out


def test_database_refuses_update_and_delete(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()


def test_edited_row_is_named(trail):
    with triggers_disabled():
        AuditEvent.objects.filter(seq=3).update(after={"status": "approved"})
    with pytest.raises(CommandError, match="#3 的内容已被篡改"):
        call_command("audit_verify")


def test_deleted_row_is_named(trail):
    with triggers_disabled():
        AuditEvent.objects.filter(seq=2).delete()
    with pytest.raises(CommandError, match="#2 已被删除"):
        call_command("audit_verify")


def test_deleted_last_row_is_named(trail):
    with triggers_disabled():
        AuditEvent.objects.filter(seq=5).delete()
    with pytest.raises(CommandError, match="末尾事件已被删除"):
        call_command("audit_verify")
