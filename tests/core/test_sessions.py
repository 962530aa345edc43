"""Session expiry after inactivity (SESSION_COOKIE_AGE), with the session saved at most every
SESSION_TOUCH_INTERVAL seconds instead of on every request."""
import time
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxin.core import cached_sessions, sessions
from sanxin.core.sessions import SessionTouchMiddleware

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def signed_in(client, user) -> str:
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def store_for(key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)


def set_expiry(key: str, expire_date) -> None:
    """The row's expiry set in the database; a cached copy is dropped, as its cache timeout (the
    same expiry) would drop it."""
    Session.objects.filter(session_key=key).update(expire_date=expire_date)
    store = store_for(key)
    if hasattr(store, "cache_key"):
        cache.delete(store.cache_key)


def set_touched(key: str, seconds_ago: int) -> None:
    """As if the session had last been saved `seconds_ago` seconds ago."""
    store = store_for(key)
    store[SessionTouchMiddleware.KEY] = int(time.time()) - seconds_ago
    store.save()
    set_expiry(key, timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - seconds_ago))


def expiry(key: str):
    return Session.objects.get(session_key=key).expire_date


def test_requests_within_the_interval_write_no_session(district, client):
    key = signed_in(client, district.district)
    client.get("/")                       # the first request after login records its touch
    before = expiry(key)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 302 and not response.url.startswith(LOGIN)
    writes = [q["sql"] for q in queries if "django_session" in q["sql"]
              and not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert expiry(key) == before


def test_activity_after_the_interval_moves_the_expiry(district, client):
    key = signed_in(client, district.district)
    set_touched(key, settings.SESSION_TOUCH_INTERVAL + 60)
    old = expiry(key)
    client.get("/")
    new = expiry(key)
    assert new > old + timedelta(seconds=settings.SESSION_TOUCH_INTERVAL)
    assert abs((new - timezone.now()) - timedelta(seconds=settings.SESSION_COOKIE_AGE)) < timedelta(minutes=1)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_session_ends_after_inactivity(district, client):
    """Idle longer than SESSION_COOKIE_AGE: signed out, even though the cookie is still sent."""
    key = signed_in(client, district.district)
    set_expiry(key, timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_an_active_user_stays_signed_in_past_the_first_age(district, client, settings):
    """Each touch restarts the age: activity every few minutes keeps the session alive."""
    settings.SESSION_COOKIE_AGE = 600
    key = signed_in(client, district.district)
    set_touched(key, 550)                 # 50 s left, but the user is active now
    client.get("/")
    assert expiry(key) > timezone.now() + timedelta(seconds=500)


def test_anonymous_visits_create_no_session(client):
    client.get(LOGIN)
    client.get("/")
    assert not Session.objects.exists()


def test_sessions_are_read_from_the_cache(district, client):
    """With the shared cache (tests, and deployments with CACHE_URL), a signed-in request reads
    neither the session nor the user and their roles from the database."""
    assert settings.SESSION_ENGINE == "sanxin.core.cached_sessions"
    signed_in(client, district.district)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/password/")
    assert response.status_code == 200
    tables = " ".join(q["sql"] for q in queries)
    assert "django_session" not in tables and "accounts_user" not in tables and "accounts_role" not in tables


@pytest.mark.parametrize("engine", [sessions, cached_sessions])
@pytest.mark.parametrize("cookie", ["abc\x00def" * 4, "../../etc/passwd", "A" * 32, "", "x" * 65])
def test_a_malformed_session_key_means_no_session(engine, cookie):
    store = engine.SessionStore(session_key=cookie)
    assert store.session_key is None
    assert store.load() == {}


@pytest.mark.parametrize("engine", [sessions, cached_sessions])
def test_both_engines_keep_a_session(engine):
    store = engine.SessionStore()
    store["x"] = 1
    store.create()
    assert engine.SessionStore(session_key=store.session_key).load() == {"x": 1}
