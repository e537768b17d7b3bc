"""Hooks that must reach the whole test session; the fixtures are in tests/conftest.py.

A hook in tests/conftest.py is not called for session fixtures, such as pytest-django's database set-up.
"""

import coverage
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Coverage is not traced while a test process builds its database: the migrations are not measured, and
    tracing Django's migration machinery made the build take 16 s instead of 9 in each process."""
    measuring = coverage.Coverage.current() if fixturedef.argname == "django_db_setup" else None
    if measuring is not None:
        measuring.stop()
    try:
        yield
    finally:
        if measuring is not None:
            measuring.start()
