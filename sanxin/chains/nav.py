from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [NavItem(_("Industry chains"), "chains:chain_list", order=75)]
