from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

# Party life is for the district, the townships and parks, and party secretaries (organization
# role); departments and service officers have no party-life scope.
NAV_ITEMS = [NavItem(_("Party life"), "partylife:home", order=30,
                     roles=frozenset({"district", "area", "organization"}))]
