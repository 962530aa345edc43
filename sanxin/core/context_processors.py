from functools import lru_cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse

from .extensions import collect
from .navigation import NavItem


def _all_nav_items() -> list[NavItem]:
    return sorted(collect("nav", "NAV_ITEMS"), key=lambda item: item.order)


@lru_cache(maxsize=8)
def _nav_urls(script_prefix: str) -> tuple[tuple[NavItem, str], ...]:
    """Every item with its URL, reversed once per process (and script prefix), not per page."""
    found = []
    for item in _all_nav_items():
        try:
            found.append((item, reverse(item.url_name)))
        except NoReverseMatch:
            continue
    return tuple(found)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    kinds = {role.kind for role in user.scope_roles}
    entries = []
    for item, url in _nav_urls(get_script_prefix()):
        if item.roles and not (item.roles & kinds):
            continue
        entries.append({"label": item.label, "url": url,
                        "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": entries}
