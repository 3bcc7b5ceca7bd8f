import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from engine.audit import checkpoints
from engine.audit.chain import event_hash, link
from engine.audit.models import AuditEvent, AuditSeal, ChainHead
from engine.audit.sealing import seal_pending
from engine.audit.services import audit_record
from engine.audit.tamper import triggers_disabled
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def record(actor, i):
    return audit_record(actor=actor, action="case.submit", object_type="test.case", object_id=i,
                        reference=f"T-2026-{i:06d}", before={"status": "draft"},
                        after={"status": "submitted"}, reason="")


@pytest.fixture
def trail():
    actor = UserFactory()
    events = [record(actor, i) for i in range(1, 6)]
    assert seal_pending() == 5
    return events


def nth(trail, n):
    return trail[n - 1].seq


def test_appending_takes_no_shared_row(django_assert_num_queries):
    actor = UserFactory()
    with django_assert_num_queries(1):  # one INSERT: no chain head read or locked
        record(actor, 1)


def test_intact_chain_verifies(trail, capsys):
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "共 5 条事件" in out and "5 条有签名检查点" in out


def test_sealing_is_idempotent_and_checkpointed(trail):
    assert seal_pending() == 0
    lines = checkpoints.read()
    assert [cp.size for cp in lines] == [5]
    assert lines[0].signature_valid()
    record(UserFactory(), 6)
    assert seal_pending() == 1
    assert [cp.size for cp in checkpoints.read()] == [5, 6]
    assert ChainHead.objects.get().last_seq == 6


def test_database_refuses_update_and_delete(trail):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=nth(trail, 2)).update(reason="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(seq=nth(trail, 2)).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(position=2).update(event_hash="0" * 64)


def test_edited_row_is_named(trail):
    seq = nth(trail, 3)
    with triggers_disabled():
        AuditEvent.objects.filter(seq=seq).update(after={"status": "approved"})
    with pytest.raises(CommandError, match=f"#{seq} 的内容已被篡改"):
        call_command("audit_verify")


def test_deleted_row_is_named(trail):
    seq = nth(trail, 2)
    with triggers_disabled():
        AuditEvent.objects.filter(seq=seq).delete()
    with pytest.raises(CommandError, match=f"#{seq} 已被删除"):
        call_command("audit_verify")


def test_deleted_last_row_is_named(trail):
    seq = nth(trail, 5)
    with triggers_disabled():
        AuditSeal.objects.filter(event_id=seq).delete()
        AuditEvent.objects.filter(seq=seq).delete()
        ChainHead.objects.update(last_seq=4, last_hash=AuditSeal.objects.get(position=4).chain)
    with pytest.raises(CommandError, match=f"从事件 #{seq} 起的末尾事件已被删除"):
        call_command("audit_verify")


def rehash_from(position):
    """What a database writer without the signing key can do: make every hash in the database
    agree with edited content again, from ``position`` to the tip."""
    seals = list(AuditSeal.objects.order_by("position"))
    chain = seals[position - 2].chain if position > 1 else "0" * 64
    with triggers_disabled():
        for seal in seals[position - 1:]:
            event = AuditEvent.objects.get(seq=seal.event_id)
            content = event_hash(event)
            AuditEvent.objects.filter(seq=event.seq).update(hash=content)
            chain = link(chain, seal.position, event.seq, content)
            AuditSeal.objects.filter(position=seal.position).update(event_hash=content, chain=chain)
        ChainHead.objects.update(last_hash=chain)


def test_rehashed_edit_is_caught_by_the_checkpoint(trail):
    seq = nth(trail, 2)
    with triggers_disabled():
        AuditEvent.objects.filter(seq=seq).update(reason="事后补写的理由")
    rehash_from(2)
    with pytest.raises(CommandError, match=f"#{seq} 的内容已被篡改"):
        call_command("audit_verify")


def test_deleted_and_rechained_event_is_caught_by_the_checkpoint(trail):
    gone = nth(trail, 3)
    with triggers_disabled():
        AuditSeal.objects.filter(position__gte=3).delete()
        AuditEvent.objects.filter(seq=gone).delete()
        chain = AuditSeal.objects.get(position=2).chain
        for position, event in enumerate(trail[3:], start=3):
            chain = link(chain, position, event.seq, event.hash)
            AuditSeal.objects.create(position=position, event_id=event.seq, event_hash=event.hash,
                                     chain=chain, sealed_at=event.at)
        ChainHead.objects.update(last_seq=4, last_hash=chain)
    with pytest.raises(CommandError, match=f"#{gone} 已被删除"):
        call_command("audit_verify")


def test_edited_checkpoint_file_is_refused(trail):
    path = checkpoints.path()
    line = json.loads(path.read_text())
    line["leaves"][1][2] = "f" * 64
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(CommandError, match="检查点文件第 1 行与其签名的链头不符"):
        call_command("audit_verify")


def test_forged_checkpoint_signature_is_refused(trail):
    path = checkpoints.path()
    line = json.loads(path.read_text())
    line["size"] = 4
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(CommandError, match="签名无效"):
        call_command("audit_verify")


def test_unsealed_edit_is_named(trail):
    late = record(UserFactory(), 6)
    with triggers_disabled():
        AuditEvent.objects.filter(seq=late.seq).update(reason="改写")
    with pytest.raises(CommandError, match=f"#{late.seq} 的内容已被篡改"):
        call_command("audit_verify")


def test_event_committed_after_a_later_one_is_still_sealed(trail):
    """Sealing follows commits, not ``seq``: an event that shows up below the sealed tip (its
    transaction committed late) is sealed by the next run."""
    late = record(UserFactory(), 6)
    newer = record(UserFactory(), 7)
    with triggers_disabled():
        AuditEvent.objects.filter(seq=late.seq).delete()  # as if not yet committed
    seal_pending()
    with triggers_disabled():
        AuditEvent.objects.bulk_create([late])  # now it commits
    assert seal_pending() == 1
    assert list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))[-2:] == [newer.seq, late.seq]
    call_command("audit_verify")


def test_printable_checkpoint(trail, capsys):
    call_command("audit_seal", "--print")
    out = capsys.readouterr().out
    assert "事件数（封存序号）：5" in out and "签名（Base64）" in out
