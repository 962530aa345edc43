"""A section on the organization detail page: the chains and links it belongs to (scoped)."""
from django.utils.translation import gettext_lazy as _

from sanxin.core.extensions import Panel

from .models import ChainMember
from .selectors import chains_visible_to


def chains_panel(actor, organization) -> Panel | None:
    memberships = list(ChainMember.objects.filter(
        organization=organization, chain__in=chains_visible_to(actor))
        .select_related("chain", "link", "branch").order_by("chain_id", "link__position"))
    if not memberships:
        return None
    return Panel(title=_("Industry chains"), template="chains/_org_panel.html",
                 context={"memberships": memberships}, order=75)


ORGANIZATION_PANELS = [chains_panel]
