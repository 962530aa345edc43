from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Pairings"), "pairings:pairing_list", order=70),
    NavItem(_("Brands and cases"), "pairings:case_library", order=71),
]
