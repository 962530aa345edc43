"""The signed-in user and their roles, read from the cache instead of two queries per request.

Every page needs the user (is the session still valid?) and their roles (the scope of every
query, the navigation): two queries, one of them with three joins, before any view work. The
snapshot keeps both in the cache for SANXIN_ACTOR_CACHE_SECONDS (0 = off; settings turn it on
only for a cache that every process shares).

Correctness rests on a per-user version token kept beside the snapshot. Any save or delete of
the user, one of their roles, or an area, department or organization that a role points at
replaces the token (at once, and again after the transaction commits); a snapshot is used only
when it carries the current token. Both are fetched in one round trip. A request that read the
database before a change committed and stores its snapshot afterwards stores it under the old
token, so it is never used.

Kept out of the cache: the password hash (the snapshot carries the session hash that Django
already keeps in the session, an HMAC of it) and the user's phone; reading either loads it.
"""
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import Role, User

KEY = "actor:{}"
VERSION_KEY = "actor-version:{}"
# A token outlives its snapshots; one that expires or is evicted only means a fresh read.
VERSION_SECONDS = 24 * 3600
UNCACHED_USER_FIELDS = ("password", "phone")
# What the roles show and scope by; the related rows' other columns (an organization's contact
# phone among them) stay in the database and load if something reads them.
ROLE_COLUMNS = ("id", "user_id", "kind", "title", "sees_personal_data", "area", "department",
                "organization", "area__code", "area__name", "area__parent_id", "department__code",
                "department__name", "department__kind", "organization__name", "organization__area_id")


def enabled() -> bool:
    return settings.SANXIN_ACTOR_CACHE_SECONDS > 0


def load_roles(user_id: int) -> list[Role]:
    return list(Role.objects.filter(user_id=user_id)
                .select_related("area", "department", "organization").only(*ROLE_COLUMNS))


def get_actor(user_id) -> User | None:
    """The user with `scope_roles` filled in, or None if there is no such user."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    key, version_key = KEY.format(user_id), VERSION_KEY.format(user_id)
    found = cache.get_many([key, version_key])
    version, snapshot = found.get(version_key), found.get(key)
    if version is not None and snapshot is not None and snapshot["version"] == version:
        return _from_snapshot(snapshot, version)
    if version is None:
        # The token goes in before the database is read: a change committing after this point
        # deletes it, so what is read now can never be stored under a token still current.
        version = uuid.uuid4().hex
        if not cache.add(version_key, version, VERSION_SECONDS):
            version = None     # another request just set one: read, but store nothing this time
    user = User.objects.filter(pk=user_id).first()
    if user is not None:
        user.scope_roles = load_roles(user_id)
        # Pages cached for this viewer carry the token (core/pagecache.py); None: store none.
        user.actor_version = version
        if version is not None:
            cache.set(key, _snapshot(user, version), settings.SANXIN_ACTOR_CACHE_SECONDS)
    return user


def _snapshot(user: User, version: str) -> dict:
    fields = [f.attname for f in User._meta.concrete_fields if f.attname not in UNCACHED_USER_FIELDS]
    return {"version": version, "fields": fields, "values": [getattr(user, f) for f in fields],
            "session_hash": user.get_session_auth_hash(), "roles": user.scope_roles}


def _from_snapshot(snapshot: dict, version: str) -> User:
    user = User.from_db("default", snapshot["fields"], snapshot["values"])
    user.scope_roles = snapshot["roles"]
    user.actor_version = version
    user.cached_session_hash = snapshot["session_hash"]
    return user


def forget(user_ids: Iterable[int]) -> None:
    """Invalidate these users' snapshots now and once more when the transaction commits."""
    keys = [VERSION_KEY.format(pk) for pk in set(user_ids) if pk is not None]
    if not keys or not enabled():
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _user_changed(sender, instance, **kwargs) -> None:
    forget([instance.pk])


def _role_changed(sender, instance, **kwargs) -> None:
    forget([instance.user_id])


def _role_target_changed(sender, instance, **kwargs) -> None:
    """An area, department or organization renamed or moved: its roles' holders show and scope
    by it. One indexed query, and only while the cache is on."""
    if enabled():
        field = {"Area": "area", "Department": "department", "Organization": "organization"}[sender.__name__]
        forget(Role.objects.filter(**{field: instance.pk}).values_list("user_id", flat=True))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from sanxin.registry.models import Area, Department, Organization

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_user_changed, sender=User, dispatch_uid=f"actors-user-{name}")
        signal.connect(_role_changed, sender=Role, dispatch_uid=f"actors-role-{name}")
        for model in (Area, Department, Organization):
            signal.connect(_role_target_changed, sender=model, dispatch_uid=f"actors-{model.__name__}-{name}")
