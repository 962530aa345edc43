"""Test settings: whatever DATABASE_URL says (SQLite by default), fast hashing, eager tasks."""
from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# One process: the memory cache is shared by everything a test runs, so the cached sessions and
# actors of a deployment with Redis are what the tests exercise (tests/conftest.py clears it).
SANXIN_SHARED_CACHE = True
SANXIN_ACTOR_CACHE_SECONDS = 300
SESSION_ENGINE = "sanxin.core.cached_sessions"
