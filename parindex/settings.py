"""parindex settings: one file, driven by environment variables (see README "Cấu hình").

Defaults are safe for a developer machine: SQLite in ``var/``, DEBUG off, a secret key generated
once into ``var/secret_key``. Production sets DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from parindex.deployment import redis_cache, storage_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_secret_key() -> str:
    """Return SECRET_KEY from the environment, else a random key kept in DATA_DIR."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = read_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "parindex.core",
    "parindex.web",
]

MIDDLEWARE = [
    "parindex.web.middleware.RequestIdMiddleware",
    # Before anything reads a body: RefuseNulMiddleware and CSRF read the whole form.
    "parindex.web.middleware.RefuseLargeBodyMiddleware",
    "parindex.web.middleware.RefuseNulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

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
                "parindex.web.context.navigation",
                "parindex.web.context.province",
            ],
        },
    },
]

# SQLite file by default; DATABASE_URL (postgres://user@host:5432/name) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'parindex.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The file's folder (var/ by default) is made here, not only when a key is generated.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Many officers save at once before a deadline. WAL lets pages read while one writer writes;
    # BEGIN IMMEDIATE takes the write lock when a transaction starts, so a writer waits its turn
    # (up to the timeout) instead of failing at once with "database is locked" when a
    # transaction that began by reading wants to write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# A streaming replica of the PostgreSQL primary serves the reads of the public pages and
# dashboards; everything else, and a browser that wrote in the last REPLICA_LAG_SECONDS, reads
# the primary (parindex/core/routing.py, parindex/web/replica.py). Unset: nothing changes.
REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "10"))
if os.environ.get("DATABASE_REPLICA_URL"):
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL.")
    DATABASES["replica"] = dj_database_url.config(
        "DATABASE_REPLICA_URL",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},  # tests read the primary's test database
    )
    DATABASE_ROUTERS = ["parindex.core.routing.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "parindex.web.replica.ReplicaReadsMiddleware",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "parindex.core.passwords.MinimumLengthValidator"},  # its message in Vietnamese
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # throttles failed logins first
    # Django's ModelBackend, the signed-in user read by one hand-written statement.
    "parindex.core.user_lookup.UserBackend",
]
# Five failed logins of one username from one address lock that pair for one hour; fifty from one
# address, whatever the usernames, lock the address. Nobody can lock an official out from
# elsewhere (parindex/web/login_throttle.py).
AXES_HANDLER = "parindex.web.login_throttle.PairAndAddressHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:todo"  # "Việc cần làm": each role starts from its own work
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["parindex.formats"]

# Security. Behind an HTTPS reverse proxy set HTTPS=1 (and the proxy sends X-Forwarded-Proto).
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
CSRF_FAILURE_VIEW = "parindex.web.views.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline scripts anywhere: pages load our own JS files and read data through json_script.
# Inline style attributes stay allowed (grade-band colours are data). plotly's "download as PNG"
# draws the chart through a blob: image, which only a script of the page itself can create.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    # Evidence, staged imports and job exports: files under MEDIA_ROOT on one machine;
    # STORAGE_URL=s3://bucket/prefix puts them in S3-compatible storage every server shares.
    "default": storage_from_url(os.environ.get("STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Evidence files live outside the static tree and are served only through a checked view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "20")) * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "50")) * 1024 * 1024
# A request body larger than its URL accepts is refused by its Content-Length before anything
# reads it (parindex.web.middleware.RefuseLargeBodyMiddleware): the file limit above of an upload
# URL, plus DATA_UPLOAD_MAX_MEMORY_SIZE (Django's bound on a form's other fields, 2.5 MB).
FILE_UPLOAD_PERMISSIONS = 0o640

# Published pages are cached for anonymous visitors (key: the current result set), per process
# by default; CACHE_DIR shares one file cache between the gunicorn workers of one machine and
# REDIS_URL one Redis cache between all servers.
# Progress of running jobs: the worker writes it, every web server reads it, so it lives in a
# cache all processes share — files under DATA_DIR by default (one machine), Redis with REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": redis_cache(REDIS_URL, "page"),
        "jobs": redis_cache(REDIS_URL, "jobs"),
        "sessions": redis_cache(REDIS_URL, "sessions"),
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if not os.environ.get("CACHE_DIR")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ["CACHE_DIR"],
        },
        "jobs": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("JOBS_CACHE_DIR", str(DATA_DIR / "jobs-progress")),
        },
        "sessions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "sessions-cache"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
# Sessions are read from a cache every process shares (files of this machine, or Redis), the
# database row kept as the record and read on a miss: a request does not pay a query for its
# session, and a logout or an expired session ends for every process at once.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"

# django-simple-history indexes every history row's date by default. No page reads history by
# date across rows (a leaf's history is found by its row, then ordered): the index only cost
# each history row written, and a workbook import writes 300,000.
SIMPLE_HISTORY_DATE_INDEX = False

# Long work (imports, publishing, recomputing, big exports) runs in a worker
# (``manage.py worker``, started by ``make run``): django-tasks with its database backend,
# so the queue is a table of the same database — SQLite on one machine, PostgreSQL (row locks
# with SKIP LOCKED) for several servers and workers. No broker to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Exports made by jobs, kept for their download (behind the access-checking view).
JOB_FILES_DAYS = int(os.environ.get("JOB_FILES_DAYS", "7"))
# A running job whose worker has not beaten for this long has lost its worker and is marked
# failed; a job queued this long with no worker running anything says so on its page.
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "120"))
# How long a job waits for a row another transaction holds (PostgreSQL's lock_timeout) before
# it stops, failed, having written nothing: a job stuck behind a lock would stay "Đang chạy".
JOB_LOCK_WAIT_SECONDS = int(os.environ.get("JOB_LOCK_WAIT_SECONDS", "600"))

PUBLISHED_PAGE_SECONDS = int(os.environ.get("PUBLISHED_PAGE_SECONDS", "3600"))
# How long a process trusts the fingerprint of what is published (web/caching.py) before it
# asks the database again; a publication in another process without Redis shows after it.
PUBLISHED_STATE_SECONDS = int(os.environ.get("PUBLISHED_STATE_SECONDS", "1"))

# E-mail of notifications (sent by the worker): the console in development; SMTP when
# EMAIL_HOST is set (or any backend named by EMAIL_BACKEND). SITE_URL makes the links absolute.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "parindex <no-reply@localhost>")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# The province (tỉnh, thành phố) named on official annexes.
PROVINCE_NAME = os.environ.get("PROVINCE_NAME", "Ủy ban nhân dân Thành phố Hồ Chí Minh")
# The short name in every page's header, and the emblem beside it: a path under STATIC_ROOT
# (our plain default; a province puts its own image among the static files).
PROVINCE_SHORT_NAME = os.environ.get("PROVINCE_SHORT_NAME", "TP. Hồ Chí Minh")
PROVINCE_EMBLEM = os.environ.get("PROVINCE_EMBLEM", "img/emblem.svg")

DJANGO_TABLES2_TEMPLATE = "includes/_table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "parindex.web.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
