"""Navigation: each app may define `NAV_ITEMS` in its own nav.py; the base layout shows those the
actor's roles allow, in `order`."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    # role kinds that see the item; empty = every signed-in user
    roles: frozenset[str] = field(default_factory=frozenset)
