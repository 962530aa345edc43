from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Cases"), "cases:list", order=50),
    NavItem(_("Overdue"), "cases:overdue", order=51,
            roles=frozenset({"district", "area", "department", "officer"})),
    NavItem(_("Measures"), "cases:measures", order=52,
            roles=frozenset({"district", "area", "department", "officer"})),
    NavItem(_("Notifications"), "cases:notifications", order=53),
    NavItem(_("Working-day calendar"), "cases:calendar", order=54, roles=frozenset({"district"})),
]
