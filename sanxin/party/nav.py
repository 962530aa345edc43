from django.utils.translation import gettext_lazy as _

from sanxin.core.navigation import NavItem

NAV_ITEMS = [
    NavItem(_("Party organizations"), "party:party_org_list", order=20),
    NavItem(_("Party members"), "party:member_list", order=21),
    NavItem(_("Instructors"), "party:instructor_list", order=22),
]
