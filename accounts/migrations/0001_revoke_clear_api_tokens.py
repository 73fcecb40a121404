"""DRF's tokens were stored in clear, never expired and were issued without a second factor: they are revoked
(their table dropped) rather than hashed into the new tokens, which are second-factor credentials. Their holders
create new ones from "Sécurité du compte" (django-rest-knox, stored hashed)."""

from django.db import migrations


def revoke_clear_tokens(apps, schema_editor):
    # DRF's authtoken app is no longer installed; its stale content type goes with `remove_stale_contenttypes`.
    schema_editor.execute("DROP TABLE IF EXISTS authtoken_token")


class Migration(migrations.Migration):
    dependencies = [
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunPython(revoke_clear_tokens, migrations.RunPython.noop),
    ]
