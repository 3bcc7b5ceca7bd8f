"""Documents are never deleted and a version's file is never changed (issue #9, D4): the
database refuses DELETE of documents and versions and UPDATE of versions."""
from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION documents_keep_everything() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'documents and their versions are never deleted, and a version is never changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER documents_version_no_change BEFORE UPDATE OR DELETE ON documents_documentversion
    FOR EACH ROW EXECUTE FUNCTION documents_keep_everything();
CREATE TRIGGER documents_document_no_delete BEFORE DELETE ON documents_document
    FOR EACH ROW EXECUTE FUNCTION documents_keep_everything();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS documents_version_no_change ON documents_documentversion;
DROP TRIGGER IF EXISTS documents_document_no_delete ON documents_document;
DROP FUNCTION IF EXISTS documents_keep_everything();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER documents_version_no_update BEFORE UPDATE ON documents_documentversion
       BEGIN SELECT RAISE(ABORT, 'a document version is never changed'); END;""",
    """CREATE TRIGGER documents_version_no_delete BEFORE DELETE ON documents_documentversion
       BEGIN SELECT RAISE(ABORT, 'a document version is never deleted'); END;""",
    """CREATE TRIGGER documents_document_no_delete BEFORE DELETE ON documents_document
       BEGIN SELECT RAISE(ABORT, 'a document is never deleted'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS documents_version_no_update;",
    "DROP TRIGGER IF EXISTS documents_version_no_delete;",
    "DROP TRIGGER IF EXISTS documents_document_no_delete;",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_documents_and_versions")]
    operations = [migrations.RunPython(forward, backward)]
