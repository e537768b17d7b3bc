"""The embedded default used by `make run`: SQLite under var/, a filesystem broker, demo accounts."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool


def local_secret_key() -> str:
    """Generate the key once and keep it under var/, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()  # noqa: F405
# A person trying the portal meets its own pages, a mistyped address included; DEBUG=true gives a developer
# Django's error pages instead. Errors are written to the console either way (LOGGING).
DEBUG = env_bool("DEBUG", False)
DEMO_ACCOUNTS_ALLOWED = True
DEMO_SKIPS_TWO_FACTOR = env_bool("DEMO_SKIPS_TWO_FACTOR", True)

# Static files are served from the build folder itself; only production collects them. Files rebuilt while the
# portal runs are found again, as they were with DEBUG on.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
