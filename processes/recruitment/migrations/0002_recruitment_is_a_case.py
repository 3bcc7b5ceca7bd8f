"""A recruitment becomes a case: a reference number (ZP-<year>-<n>, from the same counters as
every case) and a handling department, the organization's supervising department. Those
published before get both here, and no flow process: the services close and cancel them as
plain transitions (``services.recruitments._close``)."""

from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_and_place(apps, schema_editor):
    Recruitment = apps.get_model("recruitment", "Recruitment")
    ReferenceSequence = apps.get_model("cases", "ReferenceSequence")
    tz = ZoneInfo(settings.TIME_ZONE)
    for recruitment in Recruitment.objects.select_related("activity__organization").order_by("created_at", "pk"):
        year = recruitment.created_at.astimezone(tz).year
        counter, _created = ReferenceSequence.objects.get_or_create(prefix="ZP", year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        recruitment.reference = f"ZP-{year}-{counter.last:06d}"
        recruitment.department_id = recruitment.activity.organization.supervising_department_id
        recruitment.save(update_fields=["reference", "department"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_school_role_choice'),
        ('directory', '0004_school_role'),
        ('recruitment', '0001_initial'),
        ('viewflow', '0015_task_scheduled'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecruitmentProcess',
            fields=[
            ],
            options={
                'verbose_name': 'Volunteer recruitment process',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('viewflow.process',),
        ),
        migrations.AddField(
            model_name='recruitment',
            name='department',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.department', verbose_name='handling department'),
        ),
        migrations.AddField(
            model_name='recruitment',
            name='flow_process',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='viewflow.process', verbose_name='process instance'),
        ),
        migrations.AddField(
            model_name='recruitment',
            name='reference',
            field=models.CharField(null=True, editable=False, max_length=32, verbose_name='reference number'),
        ),
        migrations.AddField(
            model_name='recruitment',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.RunPython(number_and_place, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='recruitment',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.department', verbose_name='handling department'),
        ),
        migrations.AlterField(
            model_name='recruitment',
            name='reference',
            field=models.CharField(editable=False, max_length=32, unique=True, verbose_name='reference number'),
        ),
    ]
