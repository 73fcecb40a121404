"""The database itself refuses any UPDATE of an access-log row (the application has no update path either)."""

from django.db import migrations

POSTGRES = [
    """CREATE OR REPLACE FUNCTION vigie_access_log_no_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'journal des accès : modification interdite'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER access_log_no_update BEFORE UPDATE ON breaches_accesslog
       FOR EACH ROW EXECUTE FUNCTION vigie_access_log_no_update()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS access_log_no_update ON breaches_accesslog",
    "DROP FUNCTION IF EXISTS vigie_access_log_no_update()",
]
SQLITE = ["""CREATE TRIGGER access_log_no_update BEFORE UPDATE ON breaches_accesslog
             BEGIN SELECT RAISE(ABORT, 'journal des accès : modification interdite'); END"""]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS access_log_no_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_historicalacknowledgement_historicalbreach_and_more"),
        ("breaches", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO})),
    ]
