"""A redemption becomes a case (T6 as a queue task): its handling department is the provider's
supervising department, and it is answered by the provider (``handler``). Redemptions made before keep no flow process; the services answer
those as plain transitions (``services.exchange._provider_answers``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def supervising_departments(apps, schema_editor):
    Redemption = apps.get_model("timebank", "Redemption")
    Organization = apps.get_model("directory", "Organization")
    for provider_id, department_id in Organization.objects.filter(
        pk__in=Redemption.objects.values("provider_id")
    ).values_list("pk", "supervising_department_id"):
        Redemption.objects.filter(provider_id=provider_id).update(department_id=department_id, handler_id=provider_id)


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_school_role'),
        ('timebank', '0002_entries_sum_to_zero'),
        ('viewflow', '0015_task_scheduled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RedemptionProcess',
            fields=[
            ],
            options={
                'verbose_name': 'Time bank redemption process',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('viewflow.process',),
        ),
        migrations.AddField(
            model_name='redemption',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.AddField(
            model_name='redemption',
            name='department',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.department', verbose_name='handling department'),
        ),
        migrations.AddField(
            model_name='redemption',
            name='handler',
            field=models.ForeignKey(blank=True, help_text='The provider, or who answers for it after a merger (none: the department).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.organization', verbose_name='Answering organization'),
        ),
        migrations.RunPython(supervising_departments, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='redemption',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='directory.department', verbose_name='handling department'),
        ),
        migrations.AddField(
            model_name='redemption',
            name='flow_process',
            field=models.OneToOneField(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='viewflow.process', verbose_name='process instance'),
        ),
        migrations.AddField(
            model_name='redemption',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.AlterField(
            model_name='redemption',
            name='reference',
            field=models.CharField(editable=False, max_length=32, unique=True, verbose_name='reference number'),
        ),
    ]
