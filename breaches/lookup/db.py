"""The lookup's database connection (settings: LOOKUP_DATABASE).

On PostgreSQL the settings give the lookup its own alias, `lookup`: the same database, with server-side binding, so
psycopg prepares a statement once it has run a few times on a connection and PostgreSQL stops planning it again
(the caller's access query costs more to plan than to run). Only the lookup's statements use it; the rest of the
site keeps Django's usual client-side binding. Elsewhere (SQLite), and in tests (whose data lives in the default
connection's transaction), the lookup uses the default connection.
"""

from django.conf import settings
from django.db import connections


def lookup_connection():
    return connections[settings.LOOKUP_DATABASE]


def lookup_cursor():
    """A cursor for the lookup's `%s`-style statements (prepared after a few runs on PostgreSQL)."""
    return lookup_connection().cursor()
