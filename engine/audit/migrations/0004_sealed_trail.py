"""The trail without a global lock: events take ``seq`` from the database's sequence and carry a
content hash; a sealing job chains them afterwards (``AuditSeal``). Existing events are re-hashed
under the new content hash and sealed in their old order, so nothing recorded is lost."""
import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from engine.audit.chain import GENESIS, event_hash, link
from engine.audit.sql import PG_BACKWARD, SQLITE_BACKWARD, allow_changes, make_append_only


def drop_old_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


def seal_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    ChainHead = apps.get_model("audit", "ChainHead")
    chain, position, now, seals = GENESIS, 0, timezone.now(), []
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        event.hash = event_hash(event)
        event.save(update_fields=["hash"])
        position += 1
        chain = link(chain, position, event.seq, event.hash)
        seals.append(AuditSeal(position=position, event_id=event.seq, event_hash=event.hash, chain=chain,
                               sealed_at=now))
    AuditSeal.objects.bulk_create(seals, batch_size=2000)
    ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": position, "last_hash": chain, "scan_from": 0})
    if schema_editor.connection.vendor == "postgresql" and position:
        schema_editor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'seq'), "
            "(SELECT MAX(seq) FROM audit_auditevent))"
        )


def append_only(apps, schema_editor):
    make_append_only(schema_editor)


def not_append_only(apps, schema_editor):
    allow_changes(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_append_only_triggers'),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        migrations.RemoveField(model_name='auditevent', name='prev_hash'),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.PositiveBigIntegerField(verbose_name='序号'),
        ),
        migrations.RemoveField(model_name='auditevent', name='id'),
        migrations.AlterField(
            model_name='auditevent',
            name='seq',
            field=models.BigAutoField(primary_key=True, serialize=False, verbose_name='序号'),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='scan_from',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(editable=False, max_length=64, verbose_name='内容哈希'),
        ),
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('position', models.PositiveBigIntegerField(primary_key=True, serialize=False, verbose_name='封存序号')),
                ('event_hash', models.CharField(max_length=64)),
                ('chain', models.CharField(max_length=64)),
                ('sealed_at', models.DateTimeField(verbose_name='封存时间')),
                ('event', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='seal', to='audit.auditevent', verbose_name='审计事件')),
            ],
            options={
                'verbose_name': '审计封存',
                'verbose_name_plural': '审计封存',
                'ordering': ['position'],
            },
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RunPython(append_only, not_append_only),
    ]
