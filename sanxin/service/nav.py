from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("My service"), "service:home", order=40, roles=frozenset({"officer"})),
    NavItem(_("Service coverage"), "service:coverage", order=41,
            roles=frozenset({"district", "area", "department"})),
    NavItem(_("Visits"), "service:visit_list", order=42),
    NavItem(_("Major projects"), "service:project_list", order=43),
]
