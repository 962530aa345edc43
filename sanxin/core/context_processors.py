from functools import lru_cache

from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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


@lru_cache(maxsize=512)
def _menu(kinds: frozenset[str], active: frozenset[str], language: str, script_prefix: str) -> SafeString:
    """The menu's HTML, built once per process for each combination of role kinds, highlighted
    items and language: the items come from code (nav.py), so nothing else can change it. The
    language is in the key because the labels are translated as they are rendered here."""
    return format_html_join("\n", '<li class="nav-item"><a class="nav-link{}" href="{}">{}</a></li>', (
        (" active" if url in active else "", url, item.label)
        for item, url in _nav_urls(script_prefix) if not item.roles or item.roles & kinds))


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": ""}
    kinds = frozenset(role.kind for role in user.scope_roles)
    prefix = get_script_prefix()
    active = frozenset(url for _, url in _nav_urls(prefix) if url != "/" and request.path.startswith(url))
    return {"nav_menu": _menu(kinds, active, get_language(), prefix)}
