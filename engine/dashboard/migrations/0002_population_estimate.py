from django.db import migrations, models

REFERENCE_SOURCE = "系统参考数据（约数）"  # the source text of fixtures/district_populations.json


def mark_reference_estimates(apps, schema_editor):
    """Rows loaded from the reference data before this flag existed are its rounded estimates."""
    DistrictPopulation = apps.get_model("dashboard", "DistrictPopulation")
    DistrictPopulation.objects.filter(source__startswith=REFERENCE_SOURCE).update(is_estimate=True)


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0001_population_and_snapshots'),
    ]

    operations = [
        migrations.AddField(
            model_name='districtpopulation',
            name='is_estimate',
            field=models.BooleanField(default=False, help_text="An approximate figure, not the statistical bulletin's; the dashboard labels it as such.", verbose_name='Estimate'),
        ),
        migrations.RunPython(mark_reference_estimates, migrations.RunPython.noop),
    ]
