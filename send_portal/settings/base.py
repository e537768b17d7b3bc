"""Settings shared by every environment; values come from environment variables."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.apps.OperatorAdminConfig",  # Django admin, for site operators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tables2",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rules.apps.AutodiscoverRulesConfig",  # imports each app's rules.py, where its permissions are registered
    "core",
    "actions",
    "kpis",
    "sef",
    "reports",
    "dashboards",
    "people",
    "public",
    "risks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.AbsoluteSessionLimitMiddleware",
    "core.middleware.IdleSessionMiddleware",
    "core.middleware.PrivateResponsesMiddleware",
    "core.middleware.TwoFactorRequiredMiddleware",
    "core.middleware.CurrentPartnershipMiddleware",
    # After the user is known, so the page can be drawn; before any view or CSRF check reads the body.
    "core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "send_portal.urls"
WSGI_APPLICATION = "send_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    }
]

# The embedded default is a SQLite file under var/; production and CI set DATABASE_URL.
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
# SQLite waits for a writer instead of answering "database is locked": WAL lets pages read while an update is
# written, and IMMEDIATE transactions take the write lock at BEGIN, where the busy timeout applies (a deferred
# transaction that upgrades its lock mid-way fails at once instead of waiting).
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}

# PostgreSQL compiles a query to machine code (JIT) when its estimated cost passes jit_above_cost. The portal's
# queries are read a row or a page at a time, and their estimates pass that bar on a large partnership: the
# indicators list of the bench's Southend took 3.3-7.6 s with JIT, 78-116 ms without, nearly all of it compiling.
#
# PostgreSQL parses and plans every statement it is sent, and the ORM's joins cost more to plan than to run (2-3 ms
# against 0.4 ms for the officer's "My actions"). With parameters bound by the server instead of written into the
# SQL by psycopg, the same statement text comes back on each request, and psycopg prepares it on its connection from
# its second use: PostgreSQL then parses it once, and after five runs may keep one plan for every value
# (core.planning for the reads where that plan does not fit). Django leaves preparing off for connection poolers
# that hand one client's statements to another connection; the portal uses none.
POSTGRESQL_OPTIONS = {"options": "-c jit=off", "server_side_binding": True, "prepare_threshold": 2}


# Each gunicorn thread and Celery process keeps its database connection between requests instead of opening
# one per request (a new PostgreSQL connection costs a process start and authentication on every page). A kept
# connection is checked before a request uses it, so one the server dropped is replaced, not failed on.
DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))


def database_from_url(url: str) -> dict[str, Any]:
    database: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["OPTIONS"] = {**POSTGRESQL_OPTIONS, **database.get("OPTIONS", {})}
    return database


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",  # every permission decision: each app's rules.py (docs/adr/0019)
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "people.sso.PartnershipOIDCBackend",  # single sign-on: each partnership's identity providers
]
# Argon2id with Django's parameters (docs/adr/0013-serving-deadline-day.md): memory-hard, so a stolen hash costs
# an attacker more than PBKDF2 does, for less of the server's CPU at each sign-in. Django's own hasher, computed in
# memory kept between sign-ins (core.passwords): the same stored strings, without the kernel zeroing 100 MiB each
# time. The PBKDF2 hashers stay so that passwords stored before still work; each is hashed again with Argon2 at its
# next sign-in.
PASSWORD_HASHERS = [
    "core.passwords.KeptMemoryArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Single sign-on (people.sso, docs/adr/0014): the providers themselves are set up per partnership in Django admin.
OIDC_AUTHENTICATION_CALLBACK_URL = "people:sso_callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# A password reset link works for two hours (people.notifications says so in the e-mail).
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=2).total_seconds())
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: 30 minutes idle (renewed at most once a minute while the user works), 12 hours at most.
SESSION_COOKIE_AGE = int(timedelta(minutes=30).total_seconds())
SESSION_RENEW_INTERVAL = timedelta(minutes=1)  # core.middleware.IdleSessionMiddleware
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Lockout after 10 failures for the same e-mail address from the same IP, for 15 minutes.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field, which holds the e-mail address
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static" / "dist"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The largest request the portal reads: a 10 MB evidence file with its form. Form fields other than files are
# held in memory, so they get a tighter limit of their own.
MAX_REQUEST_BYTES = 15 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# crispy-forms-gds styles text inputs only; give the other input types the same GOV.UK class.
CRISPY_CLASS_CONVERTERS = {
    "urlinput": "govuk-input",
    "numberinput": "govuk-input",
    "dateinput": "govuk-input",
    "timeinput": "govuk-input",
}
# The GOV.UK table markup every django-tables2 table renders with.
DJANGO_TABLES2_TEMPLATE = "dashboards/board/table.html"

# No inline script or style anywhere: every script and stylesheet is a file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # for the file-based back end
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "send-portal@localhost")

# Background jobs: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that a real
# worker runs without a broker server (docs/adr/0003-background-jobs-without-redis.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_QUEUE_DIR = VAR_DIR / "celery"
# A build that has not beaten for PACK_STALLED_SECONDS is taken as dead (the worker process was killed or its
# machine lost), marked and queued once more; the build itself beats every PACK_HEARTBEAT_SECONDS.
PACK_HEARTBEAT_SECONDS = 5
PACK_STALLED_SECONDS = 60
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # An unacknowledged job returns to the queue after this long; Celery's default, an hour, would keep a pack
    # whose worker died waiting that long. Five times the longest build (a 120-page pack in about 20 s) and more.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 300}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "processed_folder": str(CELERY_QUEUE_DIR / "processed"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),  # kombu's default is the working directory
        "store_processed": False,
    }
# The cache (drawn public pages, the read API's throttle counts) is shared by every process that serves requests,
# so a page drawn once serves every worker and a change to what is public reaches them all (public.pagecache).
# With Redis it sits in CACHE_REDIS_URL, by default Celery's server and database with its keys under a prefix of
# their own; clearing a Redis cache empties its whole database, so nothing in the portal clears it, and a
# deployment may give it a database of its own (docker-compose.yml does). Without Redis it is files under var/,
# which every process on the machine reads.
CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or REDIS_URL
if CACHE_REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "portal-cache",
            # The cache only saves work (core.pagecache): a Redis that stops answering costs a page a second or two
            # (a read, then a write), never the page.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
CELERY_TASK_IGNORE_RESULT = True
# One queue unless told otherwise; parallel test processes each give their workers a queue of their own, so that a
# job a worker queues (a reminder queued by the periodic check) stays with the worker that listens there.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_MAX_RETRIES = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "open-reporting-periods": {"task": "actions.open_reporting_periods", "schedule": 60 * 60},
    "progress-update-reminders": {"task": "actions.send_reminders", "schedule": 60 * 60 * 6},
    "build-due-board-packs": {"task": "reports.build_due_packs", "schedule": 60 * 60},
    "flush-outbox": {"task": "core.flush_outbox", "schedule": 60},
    "recover-stalled-packs": {"task": "reports.recover_stalled_packs", "schedule": 30},
    "erase-feedback-personal-data": {"task": "public.erase_personal_data", "schedule": 60 * 60},
    "risk-review-reminders": {"task": "risks.send_review_reminders", "schedule": 60 * 60 * 6},
    "remove-expired-held-evidence": {"task": "actions.remove_expired_held_evidence", "schedule": 60 * 60},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# What `load_southend` loads after the partnership itself, in order: each takes the partnership.
# Listed here so that core depends on no other app (send_portal wires the apps together).
SOUTHEND_LOADERS = [
    "actions.seed.loader.load_southend_plan",
    "sef.seed.loader.load_southend_sef",
    "kpis.seed.loader.load_southend_kpis",
    "reports.seed.loader.load_southend_meetings",
    "risks.seed.loader.load_southend_risk_log",
]
# What `setup_demo` adds after the demo users: clearly flagged sample history, local mode only.
DEMO_LOADERS = [
    "actions.seed.demo.load_demo_history",
    "kpis.seed.demo.open_last_month",
]

# Production refuses to start without these (send_portal/settings/production.py).
PRODUCTION_REQUIRED_ENV = ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")

# Two-factor sign-in: the name shown in authenticator apps. The local demo accounts may skip it
# (local settings only; production never allows demo accounts).
OTP_TOTP_ISSUER = "SEND partnership portal"
DEMO_SKIPS_TWO_FACTOR = False

# Demo accounts exist only where a settings module opts in (local); never in production.
DEMO_ACCOUNTS_ALLOWED = False
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "send-portal-demo")
PORTAL_NAME = "SEND partnership portal"
# Proxies in front of the portal that append the client's address to X-Forwarded-For (docker-compose's nginx
# is one); 0 when the portal is reached directly, so that a forged header is never believed.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
NINJA_NUM_PROXIES = TRUSTED_PROXY_HOPS
# The read API's limits: per address without a token, per token with one.
API_RATE_ANONYMOUS = "120/min"
API_RATE_TOKEN = "1200/min"
# Used in e-mails, which have no request to take the address from.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
