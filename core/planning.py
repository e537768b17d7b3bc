"""Where PostgreSQL's kept plan for a prepared statement does not fit the values it is run with.

The portal's statements are prepared on their connection (the base settings' POSTGRESQL_OPTIONS), and after five runs
PostgreSQL may keep one generic plan for every value. For most statements that saves the planning that was most of
PostgreSQL's work. For a few it is a plan that fits none of their values: the indicators' latest figures read through
correlated subqueries, or lookups into a table that an import fills within its own transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def statements_planned_for_their_values() -> Iterator[None]:
    """Runs the block in a transaction in which PostgreSQL plans each run of a statement for its values."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
