"""The retention tables taken from audit take breaches' names (a rename: rows are kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0008_fund_in_network_retention_in_breaches'),
        ('breaches', '0005_fund_in_network_retention_models'),
    ]

    operations = [
        migrations.AlterModelTable(name='cohortpurge', table=None),
        migrations.AlterModelTable(name='keyrotation', table=None),
    ]
