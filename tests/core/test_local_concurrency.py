"""Local mode (SQLite) makes a second writer wait for the first instead of answering "database is locked"."""

from pathlib import Path

from tests.core.test_settings import run_python

# Two requests that each read, then write, at the same moment: the shape of two officers saving updates.
TWO_WRITERS = r"""
import threading, django
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from core.models import Partnership
call_command("migrate", "core", verbosity=0)  # the partnerships' table and what it needs, not every app's
Partnership.objects.create(name="P", short_name="P", ons_code="E06000033", region="R")
read_done = {name: threading.Event() for name in ("first", "second")}
failures = []

def save(name, other):
    try:
        with transaction.atomic():
            partnership = Partnership.objects.get()
            read_done[name].set()
            read_done[other].wait(timeout=1)  # both have read before either writes, if SQLite lets them
            partnership.short_name = name
            partnership.save(update_fields=["short_name"])
    except Exception as error:
        failures.append(f"{name}: {error}")
    finally:
        connection.close()

threads = [threading.Thread(target=save, args=pair) for pair in (("first", "second"), ("second", "first"))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("FAILURES:", failures)
print("JOURNAL:", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
"""


def test_two_saves_at_once_in_local_mode_both_succeed(tmp_path: Path):
    result = run_python(TWO_WRITERS, "send_portal.settings.local", {"VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "FAILURES: []" in result.stdout, result.stdout
    assert "JOURNAL: wal" in result.stdout
