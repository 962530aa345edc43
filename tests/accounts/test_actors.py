"""The signed-in user and their roles come from the cache (sanxin/accounts/actors.py); any change
that matters to them must show on the very next request."""
import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanxin.accounts import actors
from sanxin.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def detail(pk: int) -> str:
    return f"/organizations/{pk}/"


def warm(client, path: str = "/accounts/password/") -> None:
    assert client.get(path).status_code == 200


def test_a_cached_request_reads_no_user_and_no_role(district, client_for):
    client = client_for(district.area_user)
    warm(client)
    with CaptureQueriesContext(connection) as queries:
        warm(client)
    sql = " ".join(q["sql"] for q in queries)
    assert "accounts_user" not in sql and "accounts_role" not in sql


def test_a_role_taken_away_ends_its_scope_at_once(district, client_for):
    client = client_for(district.area_user)
    assert client.get(detail(district.a1.pk)).status_code == 200
    district.area_user.roles.get().delete()
    assert client.get(detail(district.a1.pk)).status_code == 404


def test_a_role_moved_to_another_area_moves_the_scope(district, client_for):
    client = client_for(district.area_user)
    assert client.get(detail(district.a1.pk)).status_code == 200
    assert client.get(detail(district.b1.pk)).status_code == 404
    role = district.area_user.roles.get()
    role.area = district.area_b
    role.save()
    assert client.get(detail(district.a1.pk)).status_code == 404
    assert client.get(detail(district.b1.pk)).status_code == 200


def test_a_role_given_shows_at_once(district, client_for):
    client = client_for(district.dept_user)
    assert client.get(detail(district.b1.pk)).status_code == 200   # dept X is b1's authority
    assert client.get(detail(district.a2.pk)).status_code == 404
    Role.objects.create(user=district.dept_user, kind="district")
    assert client.get(detail(district.a2.pk)).status_code == 200


def test_a_deactivated_user_is_signed_out(district, client_for):
    client = client_for(district.district)
    warm(client)
    user = User.objects.get(pk=district.district.pk)
    user.is_active = False
    user.save()
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_password_changed_elsewhere_signs_the_session_out(district, client_for):
    client = client_for(district.district)
    warm(client)
    user = User.objects.get(pk=district.district.pk)
    user.set_password("Another-pass-2026")
    user.save()
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_changing_ones_own_password_keeps_one_signed_in(client):
    from ..factories import user_with_role

    user_with_role("sun", "district")
    assert client.post("/accounts/login/", {"username": "sun", "password": "Test-pass-2026"}).status_code == 302
    warm(client)
    warm(client)              # now from the cache: the password hash is not in it
    response = client.post("/accounts/password/", {"old_password": "Test-pass-2026",
                                                   "new_password1": "New-pass-2026-x",
                                                   "new_password2": "New-pass-2026-x"})
    assert response.status_code == 302
    warm(client)
    assert User.objects.get(username="sun").check_password("New-pass-2026-x")


def test_a_renamed_area_shows_in_the_header_at_once(district, client_for):
    client = client_for(district.area_user)
    assert "敦仁街道" in client.get("/accounts/password/").content.decode()
    district.area_a.name = "敦仁新区"
    district.area_a.save()
    page = client.get("/accounts/password/").content.decode()
    assert "敦仁新区" in page and "敦仁街道" not in page


def test_the_cache_holds_neither_password_hash_nor_phone(district, client_for):
    user = district.district
    User.objects.filter(pk=user.pk).update(phone="13800138000")
    warm(client_for(user))
    snapshot = cache.get(actors.KEY.format(user.pk))
    blob = pickle.dumps(snapshot)
    stored = User.objects.get(pk=user.pk)
    assert stored.password.encode() not in blob and b"13800138000" not in blob
    # and yet what reads them still gets them, from the database
    cached = actors.get_actor(user.pk)
    assert cached.phone == "13800138000" and cached.password == stored.password


def test_a_snapshot_read_before_a_change_is_never_used_after_it(district):
    """The race: a request reads the roles, another commits a change, then the first stores what
    it read. The change replaced the version token, so the stored snapshot is ignored."""
    user = district.area_user
    actors.get_actor(user.pk)
    version = cache.get(actors.VERSION_KEY.format(user.pk))
    stale = actors.get_actor(user.pk)             # what the slow request read
    role = user.roles.get()
    role.area = district.area_b
    role.save()                                   # the change (token replaced)
    cache.set(actors.KEY.format(user.pk), actors._snapshot(stale, version))   # stored late
    assert [r.area_id for r in actors.get_actor(user.pk).scope_roles] == [district.area_b.pk]


def test_without_the_cache_users_come_from_the_database(district, client_for, settings):
    settings.SANXIN_ACTOR_CACHE_SECONDS = 0
    client = client_for(district.area_user)
    assert client.get(detail(district.a1.pk)).status_code == 200
    assert cache.get(actors.KEY.format(district.area_user.pk)) is None
    district.area_user.roles.get().delete()
    assert client.get(detail(district.a1.pk)).status_code == 404


def test_without_a_shared_cache_sessions_and_users_come_from_the_database(district, client, settings):
    """What `make demo` runs (no CACHE_URL): database sessions, no actor cache, as before."""
    settings.SESSION_ENGINE, settings.SANXIN_ACTOR_CACHE_SECONDS = "sanxin.core.sessions", 0
    client.force_login(district.area_user)
    warm(client)
    with CaptureQueriesContext(connection) as queries:
        warm(client)
    sql = " ".join(q["sql"] for q in queries)
    assert "django_session" in sql and "accounts_user" in sql and "accounts_role" in sql
    assert client.get(detail(district.a1.pk)).status_code == 200
    district.area_user.roles.get().delete()
    assert client.get(detail(district.a1.pk)).status_code == 404
    client.post("/accounts/logout/")
    assert client.get("/accounts/password/").status_code == 302
