"""A persistent connection that the database server dropped is replaced at the next request, not failed."""

import pytest
from django.db import close_old_connections, connection, connections


@pytest.mark.django_db(transaction=True)
def test_a_terminated_connection_is_replaced_at_the_next_request():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL requis (pg_terminate_backend)")
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    connection.ensure_connection()
    doomed = connection.connection.info.backend_pid
    with connections["default"].__class__(connection.settings_dict, alias="killer").cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [doomed])
    close_old_connections()  # what Django does when a request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != doomed
