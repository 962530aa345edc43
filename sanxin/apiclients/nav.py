from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [NavItem(_("API clients"), "apiclients:client_list", order=95,
                     roles=frozenset({"district"}))]
