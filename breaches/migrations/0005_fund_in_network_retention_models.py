"""Fund now lives in the network app: the foreign keys point there in Django's state (the database already refers
to the same table). CohortPurge and KeyRotation come from audit with their tables (renamed in 0006) and their
content types, so their permissions and admin log entries follow."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["cohortpurge", "keyrotation"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "audit", "breaches")


def backwards(apps, schema_editor):
    _relabel(apps, "breaches", "audit")


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0007_historicalinstruction_breach'),
        ('breaches', '0004_person_digest_index'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('network', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='accesslog',
                name='fund',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.fund', verbose_name='caisse'),
            ),
            migrations.AlterField(
                model_name='affectedperson',
                name='fund',
                field=models.ForeignKey(blank=True, help_text='Vide : personne à répartir.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='affected_people', to='network.fund', verbose_name='caisse'),
            ),
            migrations.CreateModel(
                name='CohortPurge',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('breach_reference', models.CharField(max_length=12, verbose_name='référence de la fuite')),
                    ('closed_at', models.DateTimeField(verbose_name='fuite close le')),
                    ('cohorts', models.PositiveIntegerField(verbose_name='cohortes')),
                    ('people', models.PositiveIntegerField(verbose_name='personnes effacées')),
                    ('reports', models.PositiveIntegerField(default=0, verbose_name='rapports de rejets effacés')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='purgée le')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='lancée par')),
                    ('breach', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='breaches.breach', verbose_name='fuite')),
                ],
                options={
                    'verbose_name': 'purge de cohortes',
                    'verbose_name_plural': 'purges de cohortes',
                    'db_table': 'audit_cohortpurge',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='KeyRotation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('digest_key_fingerprint', models.CharField(max_length=16, verbose_name="empreinte de la clé d'empreinte cible")),
                    ('seal_key_id', models.CharField(max_length=16, verbose_name='clé de scellement cible')),
                    ('last_person_id', models.BigIntegerField(default=0, verbose_name='dernière personne traitée')),
                    ('people', models.PositiveIntegerField(default=0, verbose_name='personnes re-chiffrées')),
                    ('merged', models.PositiveIntegerField(default=0, verbose_name='doublons fusionnés')),
                    ('started_at', models.DateTimeField(auto_now_add=True, verbose_name='commencée le')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminée le')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='lancée par')),
                ],
                options={
                    'verbose_name': 'rotation des clés',
                    'verbose_name_plural': 'rotations des clés',
                    'db_table': 'audit_keyrotation',
                    'ordering': ['-started_at', '-id'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('finished_at__isnull', True)), fields=('digest_key_fingerprint', 'seal_key_id'), name='one_open_rotation_per_target')],
                },
            ),
        ]),
        migrations.RunPython(forwards, backwards),
    ]
