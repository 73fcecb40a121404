"""The moved tables take the network app's names (a rename: rows, sequences, indexes and the foreign keys that
point at them are kept)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0004_fund_and_membership_leave_for_network'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='fund', table=None),
        migrations.AlterModelTable(name='funddepartment', table=None),
        migrations.AlterModelTable(name='membership', table=None),
    ]
