"""The database connection dropped in the middle of a burst of steps (PostgreSQL): each step
either happened whole or not at all, the next attempt works on a new connection, every case
agrees with its tasks, and the audit trail seals and verifies."""
import threading
import time

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections

from engine.audit.models import AuditEvent
from engine.audit.sealing import seal_pending
from engine.cases.actions import task_complete
from engine.cases.models import TaskRoute
from engine.directory.models import Department
from tests.example.models import ExampleCase
from tests.example.services import example_create
from tests.factories import member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS, CASES_EACH, KILLS = 4, 6, 30


def test_dropped_connections_leave_nothing_half_done():
    call_command("setup_demo", "--no-demo", verbosity=0)
    base = Department.objects.get(code="base-city")
    staff = [member("base-city", "staff", username=f"fault_staff{i}") for i in range(WORKERS)]
    cases = [[example_create(actor=staff[w], department=base, subject=f"{w}-{i}") for i in range(CASES_EACH)]
             for w in range(WORKERS)]
    failures, done = [], threading.Event()

    def work(w):
        try:
            for case in cases[w]:
                for _attempt in range(50):  # what a person does after an error page: try again
                    try:
                        route = TaskRoute.objects.get(reference=case.reference, node="prepare")
                        if route.state == "done":  # the earlier attempt did commit
                            break
                        task_complete(actor=staff[w], task_id=route.pk, decision="submit")
                        break
                    except DatabaseError as exc:
                        failures.append(type(exc).__name__)
                        connections.close_all()  # as Django does at the end of a failed request
        finally:
            connections.close_all()

    def kill_connections():
        database = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            for _round in range(KILLS):
                if done.is_set():
                    break
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid() AND state <> 'idle'", [database],
                )
                time.sleep(0.15)

    killer = threading.Thread(target=kill_connections)
    workers = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
    killer.start()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    done.set()
    killer.join()
    connections.close_all()

    assert failures, "no connection was dropped: the test proved nothing"
    for case in (c for group in cases for c in group):
        case = ExampleCase.objects.get(pk=case.pk)
        prepare = TaskRoute.objects.get(reference=case.reference, node="prepare")
        submitted = AuditEvent.objects.filter(reference=case.reference, action="example.prepare.submit").count()
        assert (case.status, prepare.state, submitted) == ("review", "done", 1)
        assert TaskRoute.objects.filter(reference=case.reference, node="approve", state="open").count() == 1
    seal_pending()
    call_command("audit_verify")
    call_command("check_cases")
