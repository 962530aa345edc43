"""A section on the organization detail page: its pairings (scoped)."""
from django.utils.translation import gettext_lazy as _

from sanxin.core.extensions import Panel

from .selectors import pairings_visible_to


def pairings_panel(actor, organization) -> Panel | None:
    pairings = list(pairings_visible_to(actor).filter(organization=organization)
                    .select_related("leader_party_org").order_by("-started_on"))
    if not pairings:
        return None
    return Panel(title=_("Pairings"), template="pairings/_org_panel.html",
                 context={"pairings": pairings}, order=70)


ORGANIZATION_PANELS = [pairings_panel]
