"""Bypass the append-only triggers, as someone with database rights could. Used by tests to
show that ``audit_verify`` catches tampering that got past the database."""
from contextlib import contextmanager

from django.db import connection

from .sql import SQLITE_BACKWARD, SQLITE_FORWARD


@contextmanager
def triggers_disabled():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
        else:
            for sql in SQLITE_BACKWARD:
                cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update")
            else:
                for sql in SQLITE_FORWARD:
                    cursor.execute(sql)
