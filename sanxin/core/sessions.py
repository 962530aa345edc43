"""Database sessions that ignore a malformed session cookie instead of querying with it.

Django's keys are 32 characters of [a-z0-9]; a forged cookie holding a NUL character made
PostgreSQL fail the whole request (500) before any view ran. Such a cookie now simply means
"no session" (found by the API contract tests)."""
import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key) -> bool:
        return bool(key) and isinstance(key, str) and SESSION_KEY.fullmatch(key) is not None
