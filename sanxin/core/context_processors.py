from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .extensions import collect
from .navigation import NavItem


def _all_nav_items() -> list[NavItem]:
    return sorted(collect("nav", "NAV_ITEMS"), key=lambda item: item.order)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    kinds = {role.kind for role in user.scope_roles}
    entries = []
    for item in _all_nav_items():
        if item.roles and not (item.roles & kinds):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url,
                        "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": entries}
