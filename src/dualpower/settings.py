"""Django settings, read from environment variables with the ``DP_`` prefix.

Every variable is documented in docs/operating.md. Defaults are safe for production
(DEBUG off, secure cookies and HSTS when served over HTTPS, CSP, no framing);
``DP_DEBUG=1`` is for development.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from dualpower import instance

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DP_HOME = instance.ensure_home()
DEBUG = env_bool("DP_DEBUG")
SECRET_KEY = os.environ.get("DP_SECRET_KEY") or instance.secret_key(DP_HOME)
ALLOWED_HOSTS = env_list("DP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DP_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("DP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Only for tests and a private network of nodes: lets federation reach loopback/private addresses.
DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES = env_bool("DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",
    # Our apps come before allauth so their templates override allauth's (allauth/layouts/...).
    "dualpower.community",
    "dualpower.members",
    "dualpower.groups",
    "dualpower.notifications",
    "dualpower.assemblies",
    "dualpower.meetings",
    "dualpower.mandates",
    "dualpower.panels",
    "dualpower.budgeting",
    "dualpower.aid",
    "dualpower.commons",
    "dualpower.deliberation",
    "dualpower.activities",
    "dualpower.inventory",
    "dualpower.ledger",
    "dualpower.coops",
    "dualpower.land",
    "dualpower.care",
    "dualpower.food",
    "dualpower.learn",
    "dualpower.defence",
    "dualpower.outbox",
    "dualpower.federation",
    "dualpower.ops",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dualpower.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed (static files already are, by whitenoise above), for the site's own
    # requests only: BREACH is discussed in web/compression.py.
    "dualpower.web.compression.OwnRequestGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dualpower.web.middleware.RefuseUnstorableInputMiddleware",
    "dualpower.web.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "dualpower.urls"
WSGI_APPLICATION = "dualpower.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dualpower.context_processors.community",
            ],
            # dualpower.web is not an app: its template libraries are named here.
            "libraries": {
                "numbers": "dualpower.web.templatetags.numbers",
                "fragments": "dualpower.web.templatetags.fragments",
            },
        },
    }
]

# --- Database -------------------------------------------------------------------------
# SQLite in WAL mode is the embedded default; DATABASE_URL (or DP_DATABASE_URL) points at
# PostgreSQL for larger deployments.
# Connections are kept between requests (each gunicorn thread keeps its own) for
# DP_CONN_MAX_AGE seconds, checked before reuse: opening one (and, on SQLite, running its pragmas)
# on every request cost more than many pages' own queries.
CONN_MAX_AGE = int(os.environ.get("DP_CONN_MAX_AGE", "600"))
_database_url = os.environ.get("DP_DATABASE_URL") or os.environ.get("DATABASE_URL")
if _database_url:
    DATABASES = {
        "default": dj_database_url.parse(_database_url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Django's backend with a health check that sends no `SELECT 1` while the kept connection
        # is quiet (web/postgresql/base.py): a round trip less on every request.
        DATABASES["default"]["ENGINE"] = "dualpower.web.postgresql"
        _test_name = os.environ.get("DP_TEST_DATABASE", "dualpower_test")
        DATABASES["default"].setdefault("TEST", {})["NAME"] = _test_name
        # Prepared statements (issue 21): a query a connection has run DP_PG_PREPARE_THRESHOLD times
        # is prepared on the server, which then skips parsing and (mostly) planning it on each page.
        # psycopg prepares only queries whose values are bound on the server, hence
        # server_side_binding. `off` sends every query with its values written in, as Django does
        # by default (for a pooler that cannot keep prepared statements, e.g. PgBouncer before 1.21
        # in transaction mode). At least 1: at 0 psycopg would prepare a query before its first run,
        # and a string of several statements (a migration's SQL) cannot be prepared.
        # docs/operating.md, "PostgreSQL".
        _prepare = os.environ.get("DP_PG_PREPARE_THRESHOLD", "2").strip().lower()
        if _prepare != "off":
            if not _prepare.isdigit() or int(_prepare) < 1:
                raise ValueError(
                    f"DP_PG_PREPARE_THRESHOLD is a whole number from 1, or off; not {_prepare!r}"
                )
            DATABASES["default"].setdefault("OPTIONS", {}).update(
                server_side_binding=True, prepare_threshold=int(_prepare)
            )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DP_HOME / "dualpower.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE takes the write lock when a transaction starts, so concurrent
                # writers queue (up to `timeout` seconds) instead of failing mid-transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                # synchronous=NORMAL is safe in WAL mode (a power cut may lose the last commits,
                # never corrupt the file); reads come from a memory map and an 8 MB page cache per
                # connection; temporary sorts stay in memory.
                # secure_delete overwrites what is deleted with zeros (no erased row is left in a free
                # page of the file); journal_size_limit cuts the WAL file back after a checkpoint,
                # so old copies of pages do not linger at its end (dualpower.holdings.erasure_flush
                # empties it right after an erasure; docs/community-defence.md).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=30000; PRAGMA mmap_size=268435456; PRAGMA cache_size=-8000; "
                    "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON; PRAGMA journal_size_limit=0;"
                ),
            },
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
            # Tests use a file, not memory: concurrent writers then wait for the lock as in production.
            "TEST": {"NAME": os.environ.get("DP_TEST_SQLITE") or str(DP_HOME / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# One cache for every process of the node (several gunicorn workers, or several machines on one
# PostgreSQL): sign-in rate limits must count tries across all of them, which a cache in one
# worker's memory does not. It lives in the database; `migrate` creates its table.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dp_cache"}}
# The dashboard keeps each person's panels in each process's memory until something is written in
# the community, at most this many seconds (community/dashboard.py); 0 works them out every time.
DP_DASHBOARD_CACHE_SECONDS = int(os.environ.get("DP_DASHBOARD_CACHE_SECONDS", "60"))
# Parts of pages kept per process while nothing is written (web/fragments.py); "off" renders
# every page whole.
DP_FRAGMENTS = os.environ.get("DP_FRAGMENTS", "on").strip().lower() not in {"off", "0", "false", "no"}

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("DP_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[dualpower] "
ACCOUNT_ADAPTER = "dualpower.members.adapters.AccountAdapter"
if env_bool("DP_DISABLE_RATE_LIMITS"):  # only for test runs that sign up many people at once
    ACCOUNT_RATE_LIMITS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("DP_MFA_ISSUER", "dualpower")
MFA_ADAPTER = "dualpower.members.adapters.MFAAdapter"  # seals TOTP secrets with DP_MFA_KEY / mfa.key

# --- Email ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DP_DEFAULT_FROM_EMAIL", "dualpower <noreply@localhost>")
if os.environ.get("DP_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["DP_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("DP_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("DP_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DP_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DP_EMAIL_TLS", True)
else:
    # No mail server configured: messages are written as files an operator can read.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DP_HOME / "mail"

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("DP_LANGUAGE", "en")
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way to write a moment per language: dualpower/formats/<language>/formats.py.
FORMAT_MODULE_PATH = "dualpower.formats"
TIME_ZONE = os.environ.get("DP_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DP_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads: stored under server-chosen names (dualpower/uploads.py), served by the app to whoever may
# see their record (web/media.py); a proxy must not serve MEDIA_ROOT itself (docs/operating.md).
MEDIA_URL = "/media/"
MEDIA_ROOT = DP_HOME / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Background jobs --------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Security ---------------------------------------------------------------------------
# HTTPS is on unless the node only answers on this machine (make run) or DP_HTTPS=0.
_local_only = all(h in {"127.0.0.1", "localhost", "[::1]", "testserver"} for h in ALLOWED_HOSTS)
DP_HTTPS = env_bool("DP_HTTPS", not DEBUG and not _local_only)
SESSION_COOKIE_SECURE = DP_HTTPS
CSRF_COOKIE_SECURE = DP_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, read with SQL written once per process (web/sessions.py).
SESSION_ENGINE = "dualpower.web.sessions"
SECURE_SSL_REDIRECT = DP_HTTPS and env_bool("DP_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if DP_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = DP_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("DP_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # The client's address is the one the last trusted proxy added to X-Forwarded-For (rate limits
    # count per address); without this every client would share the proxy's address.
    ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DP_TRUSTED_PROXY_COUNT", "1"))
DP_CSP = os.environ.get(
    "DP_CSP",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
)

# --- Node policy defaults ---------------------------------------------------------------
DP_REQUIRE_COORDINATOR_MFA = env_bool("DP_REQUIRE_COORDINATOR_MFA")
# Mutual aid: Fernet key(s) sealing requests' private details (contact, address, health...),
# comma-separated, newest first (rotation). Unset: a key file DP_HOME/aid.key is made on first
# use with 0600 permissions. It is never in the database nor in backups: keep a copy apart.
DP_AID_KEY = os.environ.get("DP_AID_KEY") or None
DP_MFA_KEY = os.environ.get("DP_MFA_KEY") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DP_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

NINJA_PAGINATION_CLASS = "ninja.pagination.LimitOffsetPagination"
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 200
