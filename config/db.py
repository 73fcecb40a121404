"""Plain SQL for the few hot paths (the NIR lookup runs on every risky request in every fund).

On PostgreSQL, `prepared_cursor` binds parameters on the server, so psycopg prepares a statement once it has
run a few times on a connection (psycopg's prepare_threshold): PostgreSQL then stops planning it again. The
lookup's permission query costs more to plan than to run. Elsewhere (SQLite) it is Django's usual cursor.
Queries still go through Django's cursor wrapper: error translation, debug logging and execute wrappers hold.
"""

from django.db import DEFAULT_DB_ALIAS, connections


def prepared_cursor():
    """A cursor for `%s`-style SQL whose statements PostgreSQL plans once per connection."""
    connection = connections[DEFAULT_DB_ALIAS]  # once: each access through django.db.connection costs a lookup
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    # Django's own steps for a new cursor (BaseDatabaseWrapper._cursor), with the server-binding cursor class.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))
