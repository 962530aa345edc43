from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [NavItem(_("Dashboard"), "dashboard:dashboard", order=5)]
