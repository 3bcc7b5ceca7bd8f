"""Bypass the append-only triggers, as someone with database rights could. Used by tests to
show that ``audit_verify`` catches tampering that got past the database."""
from contextlib import contextmanager

from django.db import connection

from .sql import APPEND_ONLY_TABLES, sqlite_backward, sqlite_forward


@contextmanager
def triggers_disabled():
    with connection.cursor() as cursor:
        for table in APPEND_ONLY_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_update")
            else:
                for sql in sqlite_backward(table):
                    cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in APPEND_ONLY_TABLES:
                if connection.vendor == "postgresql":
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_update")
                else:
                    for sql in sqlite_forward(table):
                        cursor.execute(sql)
