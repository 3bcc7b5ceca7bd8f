"""Reference numbers taken at the end of the creating transaction (``engine.cases.numbering``):
final and gap-free when the block ends, never a provisional one in any row, the audit events
hashed over the final number, a failed block or nested block giving its numbers back."""
import pytest
from django.db import transaction

from engine.audit.chain import event_hash
from engine.audit.models import AuditEvent
from engine.audit.services import audit_record
from engine.cases.models import ReferenceSequence, TaskRoute, take_numbers
from engine.cases.numbering import case_creation
from engine.directory.models import Department
from tests.example.models import ExampleCase
from tests.example.services import example_create

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


@pytest.fixture
def base(base_people):
    return Department.objects.get(code="base-city")


def year_of(case):
    return int(case.reference.split("-")[1])


def last_number(case):
    return ReferenceSequence.objects.get(prefix="EX", year=year_of(case)).last


def test_a_new_case_has_its_final_number_everywhere_when_the_block_ends(base_people, base):
    case = example_create(actor=base_people["staff"], department=base, subject="编号")
    assert case.reference.endswith("-000001") and "~" not in case.reference
    assert ExampleCase.objects.get(pk=case.pk).reference == case.reference
    route = TaskRoute.objects.get(case_id=case.pk)
    assert (route.reference, route.case_title) == (case.reference, f"{case.reference} 编号")
    event = AuditEvent.objects.get(action="example.create")
    assert event.reference == case.reference and event.seq is not None
    assert event.hash == event_hash(event)  # hashed over the final number
    assert not ExampleCase.objects.filter(reference__contains="~").exists()
    assert not TaskRoute.objects.filter(case_title__contains="~").exists()
    assert not AuditEvent.objects.filter(reference__contains="~").exists()


def test_numbers_are_gap_free_in_creation_order_within_one_block(base_people, base):
    with case_creation():
        first = example_create(actor=base_people["staff"], department=base, subject="一")
        second = example_create(actor=base_people["staff"], department=base, subject="二")
        assert "~" in first.reference  # not numbered before the outermost block ends
    assert [first.reference[-6:], second.reference[-6:]] == ["000001", "000002"]
    assert last_number(first) == 2
    assert list(AuditEvent.objects.order_by("seq").values_list("reference", flat=True)) == [
        first.reference, second.reference]


def test_a_rolled_back_creation_gives_its_number_back(base_people, base):
    with pytest.raises(Refused), case_creation():
        example_create(actor=base_people["staff"], department=base, subject="撤销")
        raise Refused
    assert not AuditEvent.objects.exists()
    case = example_create(actor=base_people["staff"], department=base, subject="保留")
    assert case.reference.endswith("-000001")


def test_a_failed_nested_block_forgets_its_case_and_events(base_people, base):
    with case_creation():
        kept = example_create(actor=base_people["staff"], department=base, subject="保留")
        with pytest.raises(Refused), case_creation():
            ExampleCase.objects.create(department=base, subject="放弃", created_by=base_people["staff"])
            audit_record(actor=base_people["staff"], action="example.dropped")
            raise Refused
    assert kept.reference.endswith("-000001") and last_number(kept) == 1
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["example.create"]
    assert ExampleCase.objects.count() == 1


def test_a_case_rolled_back_by_a_plain_savepoint_refuses_the_block_instead_of_a_gap(base_people, base):
    with pytest.raises(RuntimeError, match="numbered 0 of 1"), case_creation():
        try:
            with transaction.atomic():
                ExampleCase.objects.create(department=base, subject="放弃", created_by=base_people["staff"])
                raise Refused
        except Refused:
            pass
    assert not ReferenceSequence.objects.exists()


def test_a_case_saved_outside_a_creation_block_is_numbered_at_once(base_people, base):
    with transaction.atomic():
        case = ExampleCase.objects.create(department=base, subject="直接", created_by=base_people["staff"])
        assert case.reference.endswith("-000001")


def test_outside_a_creation_block_events_are_written_at_once(base_people):
    event = audit_record(actor=base_people["staff"], action="example.direct")
    assert event.seq is not None and AuditEvent.objects.filter(seq=event.seq).exists()


def test_take_numbers_hands_out_consecutive_blocks():
    assert take_numbers("QQ", 2026, 3) == 1
    assert take_numbers("QQ", 2026) == 4
    assert take_numbers("QQ", 2027, 2) == 1
    assert ReferenceSequence.objects.get(prefix="QQ", year=2026).last == 4


def test_creating_a_case_stays_within_its_query_budget(base_people, base, django_assert_max_num_queries):
    example_create(actor=base_people["staff"], department=base, subject="预热")  # caches
    # 22 statements (savepoints included) when the number was taken at the first save
    with django_assert_max_num_queries(20) as captured:
        example_create(actor=base_people["staff"], department=base, subject="预算")
    counter = [q["sql"] for q in captured.captured_queries if "cases_referencesequence" in q["sql"]]
    assert len(counter) == 1 and counter[0].startswith("UPDATE")  # one statement on the counter row
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "audit_auditevent"')]
    assert len(inserts) == 1
