"""PostgreSQL behind PgBouncer in transaction mode (``DATABASE_PGBOUNCER``, docs/operations.md).

Django reads a queryset's ``iterator()`` through a named (server-side) cursor. Outside a
transaction it declares the cursor WITH HOLD and fetches from it in later statements, which
PgBouncer may send to another server connection, where the cursor does not exist
("portal ... does not exist"). Inside a transaction every statement goes to the same server
connection and the cursor works.

So this backend opens a named cursor only inside a transaction; outside one, ``iterator()``
reads its rows with an ordinary cursor, all at once, as ``DISABLE_SERVER_SIDE_CURSORS`` would
everywhere. Django does that outside the portal's hands: a form's select reads its choices
with ``iterator()`` (``ModelChoiceIterator``). The exports, up to a million rows, read inside
a transaction (core/exports.py) and keep their server-side cursor.
"""

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def chunked_cursor(self):
        if self.in_atomic_block:
            return super().chunked_cursor()
        return self.cursor()
