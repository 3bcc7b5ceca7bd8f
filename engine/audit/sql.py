"""SQL that makes the audit tables append-only (D4), per database vendor."""


def pg_forward(table: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计事件只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""


def pg_backward(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};"


def sqlite_forward(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
           BEGIN SELECT RAISE(ABORT, '审计事件只能追加，不能修改'); END;""",
        f"""CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
           BEGIN SELECT RAISE(ABORT, '审计事件只能追加，不能删除'); END;""",
    ]


def sqlite_backward(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]


APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditseal")


def make_append_only(schema_editor, tables=APPEND_ONLY_TABLES):
    for table in tables:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(pg_forward(table))
        elif schema_editor.connection.vendor == "sqlite":
            for sql in sqlite_forward(table):
                schema_editor.execute(sql)


def allow_changes(schema_editor, tables=APPEND_ONLY_TABLES):
    for table in tables:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(pg_backward(table))
        elif schema_editor.connection.vendor == "sqlite":
            for sql in sqlite_backward(table):
                schema_editor.execute(sql)


# The first migration's statements (trigger on the event table only), kept as they were run.
PG_FORWARD = pg_forward("audit_auditevent").replace("audit_auditevent_no_update", "audit_event_no_update")
PG_BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""
SQLITE_FORWARD = [s.replace("audit_auditevent_no_", "audit_event_no_") for s in sqlite_forward("audit_auditevent")]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]
