"""Django settings. Production is the default: DEBUG off, a secret key of the installation's
own, errors logged and never shown. SQLite by default (no server to install; WAL, a busy timeout
and immediate transactions for concurrent writers); PostgreSQL via ``DATABASE_URL``
(``postgres://user:password@host:port/name``), which production uses.

Environment (docs/deployment.md has the whole list and a production example):

- ``DATABASE_URL``; ``GONGKAI_DATA_DIR`` (the SQLite file, uploads, the generated secret key,
  default ``./var``);
- ``DJANGO_SECRET_KEY`` (default: a random key made on first start, kept in
  ``<GONGKAI_DATA_DIR>/secret_key``, mode 0600); ``DJANGO_DEBUG=1`` for development only;
- ``DJANGO_ALLOWED_HOSTS`` (comma-separated); ``GONGKAI_HTTPS=1`` behind HTTPS (HSTS, secure
  cookies, redirect to HTTPS; ``GONGKAI_HSTS_SECONDS``, ``GONGKAI_HSTS_PRELOAD``);
  ``GONGKAI_PROXY_SSL_HEADER=1`` when a reverse proxy terminates TLS and sets
  ``X-Forwarded-Proto``;
- ``GONGKAI_LOG_FILE`` (a log file besides stderr); ``GONGKAI_SESSION_IDLE_MINUTES`` (30);
  ``GONGKAI_LOGIN_FAILURES`` (5) and ``GONGKAI_LOCKOUT_MINUTES`` (15);
  ``GONGKAI_MAX_REQUEST_BYTES`` (the largest request body accepted).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from gongkai import __version__ as gongkai_version
from gongkai.web.secret import load_or_create_secret_key


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"环境变量 {name} 应为非负整数，实为“{value}”（{name} must be a whole number）")
    return int(value)


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "var")).resolve()
DEBUG = _flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or load_or_create_secret_key(DATA_DIR)

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]

# Set by ``gongkai-manage demo`` while it serves: the demo accounts guide the login page shows
# ({"password": ..., "uses": [{"username", "task", "agency"}, ...]}); None in a real installation.
DEMO_ACCOUNTS = None

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",  # runserver too serves static files through WhiteNoise
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.apps.holidays",
    "gongkai.apps.agencies",
    "gongkai.apps.cases",
    "gongkai.apps.notices",
    "gongkai.apps.appeals",
    "gongkai.apps.letters",
    "gongkai.apps.reports",
    "gongkai.apps.desk",
    "gongkai.apps.catalogue",
    "gongkai.apps.portal",
    "gongkai.apps.online",
    "gongkai.apps.search",
    "gongkai.apps.ops",
    "axes",
    "gongkai.apps.signoff",
    "gongkai.apps.supervision",
    "gongkai.apps.administration",
    "gongkai.apps.ledger",
    "gongkai.apps.demo",  # last: it uses every other app, none uses it
]

MIDDLEWARE = [
    "gongkai.web.security.RequestSizeLimitMiddleware",  # before anything reads the body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.web.middleware.NoStoreForStaffPages",
    "gongkai.apps.administration.middleware.PasswordChangeFirst",
    "axes.middleware.AxesMiddleware",  # last: answers a locked-out login with the lockout page
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],  # errors/: the 400/403/404/413/500 pages
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.apps.desk.context_processors.staff_roles",
            ]
        },
    }
]


def sqlite_database(name: str) -> dict:
    """SQLite for a handful of staff writing at once: write-ahead logging (readers never wait for
    a writer), a busy timeout (a writer waits for the one before it instead of failing with
    "database is locked"), and transactions that take the write lock when they begin (BEGIN
    IMMEDIATE), so that two transactions never both read and then fail to upgrade to writing."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


def database_from_url(url: str) -> dict:
    """Django's DATABASES entry for a ``postgres://`` (or ``sqlite:///path``) URL."""
    parts = urlparse(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "gongkai",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    if parts.scheme == "sqlite":
        return sqlite_database(unquote(parts.path) or ":memory:")
    raise ImproperlyConfigured(f"不支持的 DATABASE_URL：{parts.scheme}（支持 postgres:// 和 sqlite:///）")


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no data folder yet
    DATABASES = {"default": sqlite_database(str(DATA_DIR / "gongkai.sqlite3"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each server process keeps rendered catalogue pages and category counts in its own memory, under
# the agency's portal revision (gongkai.apps.portal.published.cached_page): a change to the
# catalogue starts a new revision in the database, so no process needs telling.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_PREFIX": f"gongkai-{gongkai_version}",  # a new version renders its pages anew
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

LANGUAGE_CODE = "zh-hans"
# Chinese only: whatever a browser asks for, people read Chinese (LocaleMiddleware has no other
# language to choose; Django's own forms and the admin come in Chinese too).
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [Path(__file__).resolve().parent / "static"]  # gongkai/base.css, shared by desk and portal
STATIC_ROOT = DATA_DIR / "static"  # gongkai-manage collectstatic writes hashed, compressed copies here
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "gongkai.web.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # before collectstatic, the files are served from the apps' folders
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only data folder: WhiteNoise serves from the apps' folders
    pass
# Uploaded files (attachments of applications): served only through views that check access.
MEDIA_ROOT = DATA_DIR / "media"
# Request bodies: the largest is an online application with 5 attachments of 20 MB. A larger
# Content-Length is refused (413) before the body is read; form fields other than files may
# not exceed 10 MB together; uploads above 2.5 MB go to a temporary file, not to memory.
GONGKAI_MAX_REQUEST_BYTES = _number("GONGKAI_MAX_REQUEST_BYTES", 101 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o600

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Applicants kept informed (gongkai.apps.online.notify): e-mail through EMAIL_BACKEND, short
# messages through GONGKAI_SMS_BACKEND (a class with send(phone, text); the console one writes to
# standard output and the log); GONGKAI_APPLICANT_MESSAGES=0 sends none on the registry's steps.
GONGKAI_SMS_BACKEND = os.environ.get("GONGKAI_SMS_BACKEND", "gongkai.apps.online.sms.ConsoleBackend")
GONGKAI_APPLICANT_MESSAGES = os.environ.get("GONGKAI_APPLICANT_MESSAGES", "1").lower() not in ("0", "false", "no", "off")
# Days after the reply during which an applicant who chose 网上获取 downloads it on the tracking page.
GONGKAI_DOWNLOAD_DAYS = _number("GONGKAI_DOWNLOAD_DAYS", 90)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Staff accounts: passwords of at least 10 characters, not common, not all digits, not like the
# user's name; a lockout after GONGKAI_LOGIN_FAILURES failed logins per account and per address
# (django-axes; ``gongkai-manage axes_reset`` lifts all lockouts); a session ends after
# GONGKAI_SESSION_IDLE_MINUTES without a request (each request starts the period again).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gongkai.web.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},  # Chinese message
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _number("GONGKAI_LOGIN_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_number("GONGKAI_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: an account, an address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "gongkai.web.security.client_ip"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 60 * _number("GONGKAI_SESSION_IDLE_MINUTES", 30)
SESSION_SAVE_EVERY_REQUEST = True  # the idle period restarts with each request of a signed-in user
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# HTTPS (GONGKAI_HTTPS=1 in production, behind TLS): HSTS, cookies sent over HTTPS only, plain
# HTTP redirected. GONGKAI_PROXY_SSL_HEADER=1 trusts the proxy's X-Forwarded-Proto header (only
# when the proxy sets it on every request and clients cannot reach the application directly).
HTTPS = _flag("GONGKAI_HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = _number("GONGKAI_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and _flag("GONGKAI_HSTS_PRELOAD", True)
if _flag("GONGKAI_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Errors: logged with their tracebacks to stderr (and GONGKAI_LOG_FILE when set), never shown
# (DEBUG is off; the error pages are gongkai.web.errors').
LOG_FILE = os.environ.get("GONGKAI_LOG_FILE", "").strip()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} [{process}] {message}", "style": "{"},
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        **({"file": {"class": "logging.handlers.WatchedFileHandler", "filename": LOG_FILE, "formatter": "plain",
                     "encoding": "utf-8"}} if LOG_FILE else {}),
    },
    "root": {"handlers": ["stderr", "file"] if LOG_FILE else ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": [], "level": "WARNING", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "gongkai": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "gongkai@localhost")
# Applicants' personal data (docs/privacy.md): the keys of the ID-number field and its digest (else
# files made in DATA_DIR), and the years a finished case keeps them (purge_personal_data).
GONGKAI_FIELD_KEYS = [k.strip() for k in os.environ.get("GONGKAI_FIELD_KEY", "").split(",") if k.strip()]
GONGKAI_ID_DIGEST_KEY = os.environ.get("GONGKAI_ID_DIGEST_KEY", "")
GONGKAI_RETENTION_YEARS = os.environ.get("GONGKAI_RETENTION_YEARS", "10")
# The address of the web application as people reach it, for links in e-mails (reminders).
GONGKAI_BASE_URL = os.environ.get("GONGKAI_BASE_URL", "http://localhost:8000")

# The catalogue's link check (catalogue.links): loopback, private and reserved addresses are not
# fetched unless allowed — every such address, or the host names listed (an intranet portal).
GONGKAI_LINK_CHECK_ALLOW_PRIVATE = os.environ.get("GONGKAI_LINK_CHECK_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes", "on")
GONGKAI_LINK_CHECK_PRIVATE_HOSTS = [h.strip() for h in os.environ.get("GONGKAI_LINK_CHECK_PRIVATE_HOSTS", "").split(",")
                                    if h.strip()]

# The task queue (gongkai.web.queue; docs/supervision.md): Celery with Redis as the broker. Jobs
# and their progress are kept in the database, so no result backend is needed. Workers run
# ``celery -A gongkai.web.queue worker`` against the same database and Redis, on any machine.
GONGKAI_QUEUE_URL = os.environ.get("GONGKAI_QUEUE_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = GONGKAI_QUEUE_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it to another worker
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker takes one chunk at a time: the others share the job
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("GONGKAI_QUEUE_NAME", "gongkai")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Inputs per chunk task: a job of N inputs is N / chunk tasks that any worker may take.
GONGKAI_QUEUE_CHUNK = _number("GONGKAI_QUEUE_CHUNK", 20)
# Transient failures (a server that answers 5xx or drops the connection, a database that is
# busy) are tried again this many times, waiting longer each time.
GONGKAI_QUEUE_RETRIES = _number("GONGKAI_QUEUE_RETRIES", 3)
# Two narrative sections whose character shingles are at least this alike (Jaccard, 0–1) count
# as copied (X-copied, core/report/checking/cross.py) in the supervising office's checks.
GONGKAI_COPY_THRESHOLD = min(1.0, max(0.05, float(os.environ.get("GONGKAI_COPY_THRESHOLD", "0.8") or 0.8)))
# The collector (supervision.collecting): one request at a time per host, this many seconds
# apart; each request's time and size limits. Private and loopback addresses are refused unless
# the link-check settings above allow them (one policy for everything the server fetches).
GONGKAI_COLLECT_DELAY_MS = _number("GONGKAI_COLLECT_DELAY_MS", 1000)
GONGKAI_COLLECT_TIMEOUT = _number("GONGKAI_COLLECT_TIMEOUT", 30)
GONGKAI_COLLECT_MAX_BYTES = _number("GONGKAI_COLLECT_MAX_BYTES", 50 * 1024 * 1024)
