"""D7: task routes keep their case title's arguments, so that pages compose the title in the
reader's language (``TaskRoute.display_case_title``). Existing routes get theirs from their
cases, read by the field paths each case model names in ``TITLE_FIELDS``; a route whose case
model or fields cannot be read keeps ``NULL`` and shows its stored title as before."""
from django.apps import apps as live_apps
from django.core.exceptions import FieldError
from django.db import migrations, models

BATCH = 1000


def title_args(apps, schema_editor):
    TaskRoute = apps.get_model("cases", "TaskRoute")
    ContentType = apps.get_model("contenttypes", "ContentType")
    type_ids = TaskRoute.objects.filter(case_title_args__isnull=True).values_list("case_type_id", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=list(type_ids)):
        try:
            model = apps.get_model(content_type.app_label, content_type.model)
            fields = dict(getattr(live_apps.get_model(content_type.app_label, content_type.model), "TITLE_FIELDS", {}))
        except LookupError:  # a model no longer installed: its routes keep their stored title
            continue
        routes = TaskRoute.objects.filter(case_type_id=content_type.pk, case_title_args__isnull=True)
        try:
            rows = model._base_manager.filter(pk__in=routes.values("case_id")).values_list("pk", *fields.values())
            args = {row[0]: {name: "" if value is None else str(value) for name, value in zip(fields, row[1:])}
                    for row in rows}
        except FieldError:  # the fields moved since: the stored titles stay as they are
            continue
        batch = []
        for route in routes.only("pk", "case_id").iterator(chunk_size=BATCH):
            if route.case_id in args:
                route.case_title_args = args[route.case_id]
                batch.append(route)
            if len(batch) >= BATCH:
                TaskRoute.objects.bulk_update(batch, ["case_title_args"])
                batch = []
        TaskRoute.objects.bulk_update(batch, ["case_title_args"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_route_search"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="taskroute",
            name="case_title_args",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="case title arguments"),
        ),
        migrations.RunPython(title_args, migrations.RunPython.noop),
    ]
