"""Task routes get ``search_key`` (engine.cases.search) and, on PostgreSQL, a trigram index on it.

The existing routes' keys are written from their reference and title (the names added by
``Case.search_words`` come with the next route of each case, or ``refresh_case_search``). The
``pg_trgm`` extension and the GIN index exist only on PostgreSQL; SQLite searches by scanning.
"""
from django.db import migrations, models

INDEX = "route_search_trgm_idx"


def _key(text):
    return "".join(ch * 2 for ch in " ".join(text.lower().split()))


def fill_keys(apps, schema_editor):
    route_model = apps.get_model("cases", "TaskRoute")
    if schema_editor.connection.vendor == "postgresql":
        # the same rule as search_key() in one statement: collapse spaces, lower-case, double
        schema_editor.execute(
            "UPDATE cases_taskroute SET search_key = regexp_replace(lower(regexp_replace("
            "btrim(reference || ' ' || case_title), '\\s+', ' ', 'g')), '(.)', '\\1\\1', 'g')"
        )
        return
    batch = []
    for route in route_model.objects.only("pk", "reference", "case_title").iterator(chunk_size=2000):
        route.search_key = _key(f"{route.reference} {route.case_title}")
        batch.append(route)
        if len(batch) == 2000:
            route_model.objects.bulk_update(batch, ["search_key"])
            batch = []
    route_model.objects.bulk_update(batch, ["search_key"])


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_taskroute USING gin (search_key gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_english_source_strings'),
    ]

    operations = [
        migrations.AddField(
            model_name='taskroute',
            name='search_key',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='search key'),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
