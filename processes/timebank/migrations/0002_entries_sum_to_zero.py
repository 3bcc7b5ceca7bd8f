"""T1 in the database: on PostgreSQL a deferred constraint trigger refuses, at commit, a
transaction whose entries do not sum to zero or number fewer than two. SQLite (development,
tests) relies on the service and on ``manage.py timebank_reconcile``."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION timebank_entries_balance() RETURNS trigger AS $$
DECLARE total numeric; n integer;
BEGIN
  SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, n FROM timebank_entry WHERE transaction_id = NEW.transaction_id;
  IF total <> 0 OR n < 2 THEN
    RAISE EXCEPTION 'timebank transaction % does not balance (% entries, sum %)', NEW.transaction_id, n, total
      USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER timebank_entries_balance AFTER INSERT OR UPDATE ON timebank_entry
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION timebank_entries_balance();
"""
DROP = """
DROP TRIGGER IF EXISTS timebank_entries_balance ON timebank_entry;
DROP FUNCTION IF EXISTS timebank_entries_balance();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # no placeholders: the "%" are PL/pgSQL's
    return run


class Migration(migrations.Migration):
    dependencies = [("timebank", "0001_initial")]
    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
