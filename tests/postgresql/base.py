"""PostgreSQL for the test suite: Django's own backend, but a test that commits (a browser journey, a real worker)
is cleaned up by emptying the tables instead of truncating them.

TRUNCATE gives every table and index a new file: 1.8 s for the portal's 83 tables on these machines, after each
such test, against 0.17 s to delete the few rows a test leaves. Django's foreign keys are deferrable, so the rows go
in any order within the one transaction that `flush` runs.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
