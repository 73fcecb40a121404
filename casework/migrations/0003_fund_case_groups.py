"""Put the members who work a fund's cases in that fund's case group (case sharing grants to the group)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("casework", "Membership")
    for membership in Membership.objects.filter(fund__isnull=False).select_related("fund", "user"):
        group, _ = Group.objects.get_or_create(name=f"caisse-{membership.fund.code}-dossiers")
        membership.user.groups.add(group)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_checks_cases_signals"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
