from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Audit trail"), "accounts:audit", order=900, roles=frozenset({"district"})),
    NavItem(_("Locked accounts"), "accounts:locked", order=910, roles=frozenset({"district"})),
]
