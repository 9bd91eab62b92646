"""The database backend of DATABASE_PGBOUNCER: named cursors only inside a transaction.

Behind PgBouncer in transaction mode a named cursor declared outside a transaction is read by
later statements that may reach another server connection, where it does not exist: the
partner directory's filter form failed that way under `make topology` (its select reads its
choices with ``iterator()``).
"""

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction

from cluster_portal.pgbouncer.base import DatabaseWrapper

ALIAS = "behind_pgbouncer"


@pytest.fixture
def pgbouncer_connection(db):
    """A second connection to the test database through the PgBouncer backend."""
    wrapper = DatabaseWrapper({**connections["default"].settings_dict}, alias=ALIAS)
    connections[ALIAS] = wrapper
    yield wrapper
    wrapper.close()
    del connections[ALIAS]


def test_outside_a_transaction_an_iterator_reads_without_a_named_cursor(pgbouncer_connection):
    with pgbouncer_connection.chunked_cursor() as cursor:
        assert not isinstance(cursor.cursor, psycopg.ServerCursor)
    rows = ContentType.objects.using(ALIAS).order_by("pk").iterator(chunk_size=3)
    assert [row.pk for row in rows] == list(
        ContentType.objects.order_by("pk").values_list("pk", flat=True)
    )


def test_inside_a_transaction_an_iterator_keeps_its_server_side_cursor(pgbouncer_connection):
    with transaction.atomic(using=ALIAS), pgbouncer_connection.chunked_cursor() as cursor:
        assert isinstance(cursor.cursor, psycopg.ServerCursor)
        # Declared without WITH HOLD: it lives and dies with this transaction.
        assert cursor.cursor.withhold is False
