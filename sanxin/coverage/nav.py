from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Coverage"), "coverage:overview", order=25),
    NavItem(_("Findings"), "coverage:finding_list", order=26),
]
