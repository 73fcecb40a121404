"""The database refuses to delete access-log rows (DELETE, TRUNCATE) except inside the retention purge's own
transaction, which raises the transaction-local flag `vigie.access_log_purge` (breaches.access_log). UPDATE was
already refused (audit 0003). PostgreSQL only: the embedded SQLite demo keeps the application's guard."""

from django.db import migrations

POSTGRES = [
    """CREATE OR REPLACE FUNCTION vigie_access_log_no_delete() RETURNS trigger AS $$
       BEGIN
         IF current_setting('vigie.access_log_purge', true) = 'on' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'journal des accès : suppression interdite hors de la purge de conservation'
           USING ERRCODE = 'insufficient_privilege';
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER access_log_no_delete BEFORE DELETE ON breaches_accesslog
       FOR EACH ROW EXECUTE FUNCTION vigie_access_log_no_delete()""",
    """CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON breaches_accesslog
       FOR EACH STATEMENT EXECUTE FUNCTION vigie_access_log_no_delete()""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS access_log_no_truncate ON breaches_accesslog",
    "DROP TRIGGER IF EXISTS access_log_no_delete ON breaches_accesslog",
    "DROP FUNCTION IF EXISTS vigie_access_log_no_delete()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [
        ("breaches", "0006_retention_tables"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES), _run(POSTGRES_UNDO)),
    ]
