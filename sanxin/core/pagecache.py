"""Rendered pages kept in the shared cache, under a key made of everything they show.

A case's page or a department's case list is read many times for each time it changes, and
rendering it (five-table query, timeline, allowed actions, ~120 template nodes) costs several
times what serving it does. Pages are therefore stored whole and found again by key-based
expiry: nothing is ever invalidated by deleting an entry; instead the key changes when what the
page shows changes.

A page's key holds:
- what the view names (for a case: its id, version and `updated_at`, which every write to the
  case or its timeline moves; for a list: the cases generation), and the full path;
- the viewer: user id and the version token of their user-and-roles snapshot
  (`accounts/actors.py`: any change of the user, a role or what a role points at replaces it),
  and the language;
- the names generation: replaced on any save or delete of a row whose name or scope pages show
  (areas, departments, organizations, categories, users, the holiday calendar, officer
  assignments), and by code that writes such rows in bulk (`names_changed`).
Every entry carries the moment it stops being true (a deadline passing turns a case overdue and
changes its actions) and lives at most SANXIN_PAGE_CACHE_SECONDS, the bound on staleness should a
write reach those tables by a path that sends no signal.

A case page's scope is never taken from the store: its view runs the scoped query first (404
outside the scope) and only then looks for the page. A stored list is keyed on every input of
its scope instead (the viewer's roles, every case write, assignments and areas by the names).
The CSRF token is not stored: pages are rendered with a placeholder that each response replaces
with the request's own token. A request with messages to show is rendered afresh and not stored.

On only where the cache is shared by every process (as for the actor snapshots): a per-process
memory cache could not see another process's writes.
"""
from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

CSRF_PLACEHOLDER = "csrf-placeholder-7f3c9a"
GENERATION_KEY = "pagecache:generation:{}"
GENERATION_SECONDS = 7 * 24 * 3600


class Content(NamedTuple):
    """What a view renders: the template, its context, and when it stops being true by time
    alone (a deadline on it passing)."""

    template: str
    context: dict
    valid_until: datetime | None = None


Render = Callable[[], Content]


def enabled() -> bool:
    return settings.SANXIN_PAGE_CACHE_SECONDS > 0 and settings.SANXIN_ACTOR_CACHE_SECONDS > 0


# ---------------------------------------------------------------- generations


def generations(names: Iterable[str]) -> tuple[str, ...]:
    """The current tokens of these named generations, in one round trip (made on first use)."""
    keys = [GENERATION_KEY.format(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, GENERATION_SECONDS)
            found[key] = cache.get(key) or ""
    return tuple(found[key] for key in keys)


def bump(name: str) -> None:
    """Replace a generation's token now and once more after the transaction commits: a request
    rendering between the write and the commit saw the old rows and must not be found again."""
    if not enabled():
        return
    key = GENERATION_KEY.format(name)

    def replace() -> None:
        cache.set(key, uuid.uuid4().hex, GENERATION_SECONDS)

    replace()
    transaction.on_commit(replace)


def names_changed(*_args, **kwargs) -> None:
    """Signal receiver (and a call for bulk writers): a name or scope that pages show changed.
    A login only stamps `last_login`, which no page shows."""
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return
    bump("names")


def connect_name_sources(models: Iterable[type]) -> None:
    from django.db.models.signals import post_delete, post_save

    for model in models:
        post_save.connect(names_changed, sender=model, dispatch_uid=f"pagecache-{model._meta.label}-save")
        post_delete.connect(names_changed, sender=model, dispatch_uid=f"pagecache-{model._meta.label}-del")


# ---------------------------------------------------------------- pages


def page(request: HttpRequest, parts: tuple, render: Render, *, depends_on: tuple[str, ...] = (),
         cacheable: bool = True) -> HttpResponse:
    """The page `render` describes, from the cache when it holds one under `parts` + the viewer +
    the generations named in `depends_on` (names always)."""
    key = _key(request, parts, depends_on) if cacheable and enabled() and not _has_messages(request) else None
    if key is None:
        content = render()
        return HttpResponse(render_to_string(content.template, content.context, request))
    token = get_token(request)
    entry = cache.get(key)
    if entry is not None and entry[1] > time.time():
        return HttpResponse(entry[0].replace(CSRF_PLACEHOLDER, token))
    content = render()
    body = render_to_string(content.template, {**content.context, "csrf_token": CSRF_PLACEHOLDER},
                            request)
    expires = time.time() + settings.SANXIN_PAGE_CACHE_SECONDS
    if content.valid_until is not None:
        expires = min(expires, content.valid_until.timestamp())
    if expires > time.time():
        cache.set(key, (body, expires), max(1, int(expires - time.time()) + 1))
    return HttpResponse(body.replace(CSRF_PLACEHOLDER, token))


def _key(request: HttpRequest, parts: tuple, depends_on: tuple[str, ...]) -> str | None:
    version = getattr(request.user, "actor_version", None)
    if version is None:
        return None     # the viewer's snapshot token is unknown: render, store nothing
    # The full path too: the layout repeats it (the language switch returns to it).
    raw = repr((parts, request.get_full_path(), request.user.pk, version,
                getattr(request, "LANGUAGE_CODE", ""), generations(("names", *depends_on))))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _has_messages(request: HttpRequest) -> bool:
    """Messages waiting for this request (shown once by the layout): render afresh. `len` reads
    them without marking them shown."""
    return len(get_messages(request)) > 0


def next_change(now: datetime, *moments: datetime | None) -> datetime | None:
    """The earliest of these moments still ahead: when a page showing them turns stale."""
    ahead = [m for m in moments if m is not None and m > now]
    return min(ahead) if ahead else None
