"""Django settings. SQLite by default (no server to install); PostgreSQL via ``DATABASE_URL``
(``postgres://user:password@host:port/name``), which production uses.

Environment: ``DATABASE_URL``, ``GONGKAI_DATA_DIR`` (where the SQLite file lives, default
``./var``), ``DJANGO_SECRET_KEY`` (required when ``DJANGO_DEBUG`` is off), ``DJANGO_DEBUG``,
``DJANGO_ALLOWED_HOSTS`` (comma-separated).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from gongkai import __version__ as gongkai_version

DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", "var")).resolve()
DEBUG = os.environ.get("DJANGO_DEBUG", "1").lower() in ("1", "true", "yes", "on")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产环境必须设置 DJANGO_SECRET_KEY（DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off）")
    SECRET_KEY = "gongkai-development-only-not-secret"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.apps.holidays",
    "gongkai.apps.agencies",
    "gongkai.apps.cases",
    "gongkai.apps.appeals",
    "gongkai.apps.letters",
    "gongkai.apps.reports",
    "gongkai.apps.desk",
    "gongkai.apps.catalogue",
    "gongkai.apps.portal",
    "gongkai.apps.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:"}
    raise ImproperlyConfigured(f"不支持的 DATABASE_URL：{parts.scheme}（支持 postgres:// 和 sqlite:///）")


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no data folder yet
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "gongkai.sqlite3")}}

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
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [Path(__file__).resolve().parent / "static"]  # gongkai/base.css, shared by desk and portal
STATIC_ROOT = DATA_DIR / "static"
# Uploaded files (attachments of applications): served only through views that check access.
MEDIA_ROOT = DATA_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "gongkai@localhost")
# The address of the web application as people reach it, for links in e-mails (reminders).
GONGKAI_BASE_URL = os.environ.get("GONGKAI_BASE_URL", "http://localhost:8000")

# The catalogue's link check (catalogue.links): loopback, private and reserved addresses are not
# fetched unless allowed — every such address, or the host names listed (an intranet portal).
GONGKAI_LINK_CHECK_ALLOW_PRIVATE = os.environ.get("GONGKAI_LINK_CHECK_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes", "on")
GONGKAI_LINK_CHECK_PRIVATE_HOSTS = [h.strip() for h in os.environ.get("GONGKAI_LINK_CHECK_PRIVATE_HOSTS", "").split(",")
                                    if h.strip()]
