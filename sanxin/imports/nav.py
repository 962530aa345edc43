from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [NavItem(_("Import"), "imports:home", order=85, roles=frozenset({"district", "area"}))]
