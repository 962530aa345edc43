"""Settings shared by every environment. Values that differ per deployment come from the environment."""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# Every domain app of the sanxin package; each may carry urls.py, api.py (router), nav.py and demo.py.
SANXIN_APPS = [
    "sanxin.core",
    "sanxin.accounts",
    "sanxin.registry",
    "sanxin.party",
    "sanxin.coverage",
    "sanxin.service",
    "sanxin.cases",
    "sanxin.partylife",
    "sanxin.pairings",
    "sanxin.chains",
    "sanxin.imports",
    "sanxin.dashboard",
    "sanxin.demo",
    "sanxin.apiclients",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "auditlog",
    "csp",
    *SANXIN_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanxin.core.sessions.SessionTouchMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanxin.core.uploads.BodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "sanxin.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the dev server read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the signed-in user from the cache (sanxin/accounts/actors.py)
    "sanxin.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account+address after repeated failures; the district unlocks it.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# The cache: Redis when CACHE_URL is set (one cache that every gunicorn and Celery process shares),
# else this process's memory, enough for `make demo`, the tests and a single process.
CACHE_URL = env("CACHE_URL", default="")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CACHE_URL:
    CACHES["default"] = {"BACKEND": "sanxin.core.redis_cache.RedisCache", "LOCATION": CACHE_URL,
                         "KEY_PREFIX": "sx"}
# Sessions and signed-in users are cached only in a cache that every process shares: in one
# process's memory a sign-out or a role taken away would not reach the other workers.
SANXIN_SHARED_CACHE = env.bool("SANXIN_SHARED_CACHE", default=bool(CACHE_URL))
# Seconds a signed-in user and their roles stay cached (0: read from the database on each request).
# Any change to the user, a role or a role's area/department/organization drops the entry at once.
SANXIN_ACTOR_CACHE_SECONDS = env.int("SANXIN_ACTOR_CACHE_SECONDS", default=300 if SANXIN_SHARED_CACHE else 0)
# Seconds a rendered case page or case list may be served from the cache at most (0: off); on only
# with the actor snapshots, in a shared cache. Pages follow their data by key (core/pagecache.py):
# this bounds only a change that reached the database by a path sending no signal.
SANXIN_PAGE_CACHE_SECONDS = env.int("SANXIN_PAGE_CACHE_SECONDS", default=300)
# Database sessions, read through the cache when it is shared; a malformed cookie = no session.
SESSION_ENGINE = "sanxin.core.cached_sessions" if SANXIN_SHARED_CACHE else "sanxin.core.sessions"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
# Expiry after inactivity: the age counts from the last save, which SessionTouchMiddleware
# repeats at most every SESSION_TOUCH_INTERVAL seconds (not a session write per request).
SESSION_TOUCH_INTERVAL = env.int("SESSION_TOUCH_INTERVAL", default=300)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# CSP: scripts only from our own origin, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
# Periodic jobs run by `celery beat`; apps add theirs here (task names are stable strings).
CELERY_BEAT_SCHEDULE = {
    "audit-cleanup": {"task": "accounts.audit_cleanup", "schedule": 24 * 3600,
                      "kwargs": {"older_than_days": 365}},
    # daily is enough: the snapshot is per month and idempotent, so the first run of a month
    # stores it and the others change nothing
    "coverage-snapshot": {"task": "coverage.take_snapshot", "schedule": 24 * 3600},
    "case-sweep": {"task": "cases.sweep", "schedule": 15 * 60},   # 催办 / 督办, idempotent
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="sanxin@localhost")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest file any upload may carry (an import's); a request declaring a larger body is refused
# before it is read (sanxin/core/uploads.py). Each kind of file keeps its own, smaller limit.
SANXIN_MAX_UPLOAD_BYTES = env.int("SANXIN_MAX_UPLOAD_BYTES", default=300 * 1024 * 1024)
# API request log rows older than this are deleted by the daily audit cleanup (docs/api.md).
API_REQUEST_LOG_RETENTION_DAYS = env.int("API_REQUEST_LOG_RETENTION_DAYS", default=183)
# Uploaded import files hold personal data in plain text: a job deletes its file when it is applied,
# rejected or failed; the daily cleanup deletes any other after this many days (docs/operations.md).
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=7)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

AUDITLOG_INCLUDE_ALL_MODELS = False

# LOG_FORMAT=json gives one JSON object per line (time, level, logger, message, request data)
# for a log collector; the default is plain text for a terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                 "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"}},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": env("LOG_FORMAT", default="plain")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")}},
}

SANXIN_PAGE_SIZE = 50
# Personal identifiers (docs/operations.md): the keyed digest for exact lookup, and the encryption
# keys at rest (comma-separated Fernet keys, newest first; empty = derived from SECRET_KEY).
SANXIN_ID_DIGEST_KEY = env("SANXIN_ID_DIGEST_KEY", default="")
SANXIN_ID_ENCRYPTION_KEYS = env.list("SANXIN_ID_ENCRYPTION_KEYS", default=[])
PAGE_LANGUAGE_NAMES = {"zh-hans": _("Chinese"), "en": _("English")}
