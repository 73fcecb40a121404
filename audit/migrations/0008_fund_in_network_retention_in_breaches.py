"""Fund now lives in the network app: the history tables' fund columns point there in Django's state (they carry no
database constraint). CohortPurge and KeyRotation leave for breaches (breaches 0005 takes them, table and rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0007_historicalinstruction_breach'),
        ('breaches', '0005_fund_in_network_retention_models'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='historicalcase',
                name='fund',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.fund', verbose_name='caisse'),
            ),
            migrations.AlterField(
                model_name='historicaldelivery',
                name='fund',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.fund'),
            ),
            migrations.AlterField(
                model_name='historicalmembership',
                name='fund',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.fund'),
            ),
            migrations.DeleteModel(name='CohortPurge'),
            migrations.DeleteModel(name='KeyRotation'),
        ]),
    ]
