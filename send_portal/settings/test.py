"""Tests: PostgreSQL when reachable (CI requires it), otherwise the embedded SQLite."""

import os
import socket

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import database_from_url, env_bool

SECRET_KEY = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
DEBUG = False
CI = env_bool("CI", False)
DEFAULT_TEST_DATABASE_URL = "postgres://portal:portal@127.0.0.1:5432/portal"
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def choose_test_database() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    if reachable("127.0.0.1", 5432):
        return DEFAULT_TEST_DATABASE_URL
    if CI:
        raise ImproperlyConfigured("CI=true but PostgreSQL is not reachable on 127.0.0.1:5432")
    return "sqlite:///" + str(BASE_DIR / "var" / "test.sqlite3")  # noqa: F405


DATABASES = {"default": database_from_url(choose_test_database())}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # cleans up after committing tests faster (see there)
    # A test database need not survive a power cut: a commit then returns without waiting for the disk
    # (8 ms a commit on these machines, 1 ms without), which the browser and worker tests do on every request.
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
TEST_REDIS_URL = os.environ.get("REDIS_URL") or DEFAULT_TEST_REDIS_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
DEMO_ACCOUNTS_ALLOWED = True
# Jobs run in the test process; tests of the real worker start one against Redis themselves.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = TEST_REDIS_URL

# Each test process keeps its own cache, emptied around the tests that use it (tests/public/conftest.py), so
# parallel processes never see each other's pages or throttle counts; tests/public/test_page_cache.py shows the
# shared caches themselves at work.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Static files are served from the build folder itself; only production collects them.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Each test client loads the middleware afresh; without this WhiteNoise would list and stat every built file for
# each client (22 ms, over 3,000 times in the permission matrix alone). It finds a file when it is asked for instead.
WHITENOISE_AUTOREFRESH = True
