"""Fund, FundDepartment and Membership move here from casework: the tables stay (renamed in 0002), only Django's
state moves. The content types follow, so every permission, guardian object permission, admin log entry and
history row keeps pointing at the same rows."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["fund", "funddepartment", "membership"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, "casework", "network")


def backwards(apps, schema_editor):
    _relabel(apps, "network", "casework")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables were created, and last changed, by casework.
        ("casework", "0003_fund_case_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Fund',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                    ('code', models.CharField(max_length=3, unique=True, validators=[django.core.validators.RegexValidator('^\\d{3}$')], verbose_name='code')),
                    ('name', models.CharField(max_length=120, verbose_name='nom')),
                    ('kind', models.CharField(choices=[('CPAM', 'CPAM'), ('CGSS', 'CGSS'), ('CSS', 'CSS')], max_length=4, verbose_name='type')),
                    ('notice_emails', models.TextField(blank=True, help_text='Une adresse par ligne ; reçoit les consignes.', verbose_name='adresses de notification')),
                    ('agents_may_acknowledge', models.BooleanField(default=False, verbose_name='les agents peuvent accuser réception')),
                    ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ],
                options={
                    'db_table': 'casework_fund',
                    'verbose_name': 'caisse',
                    'verbose_name_plural': 'caisses',
                    'ordering': ['code'],
                    'permissions': [('lookup_person', 'Consulter le registre des personnes exposées'), ('log_check', 'Consigner une vérification'), ('work_cases', 'Traiter les dossiers de la caisse'), ('manage_cases', 'Répartir les dossiers de la caisse'), ('acknowledge_instruction', 'Accuser réception des consignes'), ('export_people', 'Exporter la liste des personnes exposées de la caisse')],
                },
            ),
            migrations.CreateModel(
                name='FundDepartment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('department', models.CharField(db_index=True, max_length=3, verbose_name='département')),
                    ('fund', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='departments', to='network.fund')),
                ],
                options={
                    'db_table': 'casework_funddepartment',
                    'verbose_name': 'département desservi',
                    'verbose_name_plural': 'départements desservis',
                    'ordering': ['department'],
                    'constraints': [models.UniqueConstraint(fields=('fund', 'department'), name='fund_department_unique')],
                },
            ),
            migrations.CreateModel(
                name='Membership',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                    ('role', models.CharField(choices=[('national', 'Personnel national'), ('manager', 'Responsable de caisse'), ('agent', 'Agent de caisse')], max_length=10, verbose_name='rôle')),
                    ('fund', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='network.fund')),
                    ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'casework_membership',
                    'verbose_name': 'rattachement',
                    'verbose_name_plural': 'rattachements',
                    'ordering': ['user__username'],
                    'constraints': [models.UniqueConstraint(fields=('user', 'fund'), name='membership_one_per_fund'), models.UniqueConstraint(condition=models.Q(('fund__isnull', True)), fields=('user',), name='membership_one_national'), models.CheckConstraint(condition=models.Q(models.Q(('fund__isnull', True), ('role', 'national')), models.Q(('fund__isnull', False), ('role__in', ['manager', 'agent'])), _connector='OR'), name='membership_fund_matches_role')],
                },
            ),
        ]),
        migrations.RunPython(forwards, backwards),
    ]
