"""Database sessions that ignore a malformed session cookie instead of querying with it.

Django's keys are 32 characters of [a-z0-9]; a forged cookie holding a NUL character made
PostgreSQL fail the whole request (500) before any view ran. Such a cookie now simply means
"no session" (found by the API contract tests)."""
import re
import time

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")


class ValidKeyMixin:
    def _validate_session_key(self, key) -> bool:
        return bool(key) and isinstance(key, str) and SESSION_KEY.fullmatch(key) is not None


class SessionStore(ValidKeyMixin, DatabaseSessionStore):
    pass


class SessionTouchMiddleware:
    """Expiry after inactivity without a session write on every request.

    SESSION_SAVE_EVERY_REQUEST wrote the session row on every request (an UPDATE per page view).
    Instead a signed-in session remembers when it was last saved (`_touched`, epoch seconds) and
    is saved again, which moves its expiry to now + SESSION_COOKIE_AGE, only when more than
    SESSION_TOUCH_INTERVAL seconds have passed. A session therefore ends after
    SESSION_COOKIE_AGE of inactivity, give or take SESSION_TOUCH_INTERVAL. Listed after
    SessionMiddleware, so its response phase runs first and SessionMiddleware saves the change.
    """

    KEY = "_touched"

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.interval = getattr(settings, "SESSION_TOUCH_INTERVAL", 300)

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that this request loaded anyway and that belongs to a signed-in user;
        # an anonymous visitor gets no session row from this.
        if session is not None and session.accessed and not session.is_empty() \
                and "_auth_user_id" in session:
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) > self.interval:
                session[self.KEY] = now
        return response
