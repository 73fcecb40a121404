"""Fund, FundDepartment and Membership now live in the network app (network 0001 took them, tables and rows): the
foreign keys point there, and casework's state forgets them. Nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0008_fund_in_network_retention_in_breaches'),
        ('breaches', '0005_fund_in_network_retention_models'),
        ('casework', '0003_fund_case_groups'),
        ('network', '0001_initial'),
        ('notifications', '0003_fund_in_network'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='check',
                name='fund',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='checks', to='network.fund', verbose_name='caisse'),
            ),
            migrations.AlterField(
                model_name='caseevent',
                name='fund',
                field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.fund'),
            ),
            migrations.AlterField(
                model_name='case',
                name='fund',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='network.fund', verbose_name='caisse'),
            ),
            migrations.AlterField(
                model_name='ibansighting',
                name='fund',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='network.fund'),
            ),
            migrations.AlterField(
                model_name='sharedaccountalert',
                name='funds',
                field=models.ManyToManyField(related_name='shared_account_alerts', to='network.fund', verbose_name='caisses concernées'),
            ),
            migrations.DeleteModel(name='Membership'),
            migrations.DeleteModel(name='FundDepartment'),
            migrations.DeleteModel(name='Fund'),
        ]),
    ]
