"""Fund now lives in the network app (network 0001): the foreign keys point there in Django's state. The database
already refers to the same table, so nothing changes in it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0001_initial'),
        ('notifications', '0002_instruction_breach'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='delivery',
                name='fund',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='deliveries', to='network.fund'),
            ),
            migrations.AlterField(
                model_name='instruction',
                name='information_funds',
                field=models.ManyToManyField(blank=True, related_name='+', to='network.fund', verbose_name='caisses destinataires pour information'),
            ),
            migrations.AlterField(
                model_name='instruction',
                name='target_funds',
                field=models.ManyToManyField(blank=True, related_name='+', to='network.fund', verbose_name='caisses visées'),
            ),
        ]),
    ]
