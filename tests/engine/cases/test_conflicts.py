"""A database refusal caused by a race becomes a 409 with a code; any other stays an error."""
import json
import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from engine.cases.conflicts import as_conflict
from engine.cases.middleware import DatabaseRefusalMiddleware
from engine.cases.models import ReferenceSequence

pytestmark = pytest.mark.django_db


def test_a_duplicate_is_a_409_duplicate():
    ReferenceSequence.objects.create(prefix="DUP", year=2026)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        ReferenceSequence.objects.create(prefix="DUP", year=2026)
    conflict = as_conflict(caught.value)
    assert conflict is not None and conflict.status_code == 409 and conflict.code == "duplicate"


def test_an_unrelated_database_error_is_not_a_conflict():
    assert as_conflict(OperationalError("server closed the connection unexpectedly")) is None
    assert as_conflict(IntegrityError("NOT NULL constraint failed: x.y")) is None
    assert as_conflict(ValueError("not a database error")) is None


@pytest.mark.postgres
def test_a_lock_timeout_is_a_409(transactional_db):
    row = ReferenceSequence.objects.create(prefix="LT", year=2026)
    locked, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            ReferenceSequence.objects.select_for_update().get(pk=row.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(10)
    try:
        with pytest.raises(OperationalError) as caught, transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '100ms'")
            ReferenceSequence.objects.select_for_update().get(pk=row.pk)
    finally:
        release.set()
        holder.join()
    conflict = as_conflict(caught.value)
    assert conflict is not None and conflict.code == "lock_timeout"


def _duplicate_error():
    ReferenceSequence.objects.create(prefix="MW", year=2026)
    try:
        with transaction.atomic():
            ReferenceSequence.objects.create(prefix="MW", year=2026)
    except IntegrityError as exc:
        return exc
    raise AssertionError("no IntegrityError")


def test_the_middleware_answers_a_race_with_409_and_a_lost_database_with_503(rf):
    middleware = DatabaseRefusalMiddleware(lambda request: None)
    error = _duplicate_error()
    api = middleware.process_exception(rf.post("/api/v1/procurement/budget-lines/"), error)
    assert api.status_code == 409 and json.loads(api.content)["code"] == "duplicate"
    page = middleware.process_exception(rf.post("/workbench/procurement/"), error)
    assert page.status_code == 409 and "操作冲突" in page.content.decode()
    lost = middleware.process_exception(rf.get("/api/v1/tasks/"), OperationalError("server closed the connection"))
    assert lost.status_code == 503 and json.loads(lost.content)["code"] == "database_unavailable"
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None  # stays a 500
