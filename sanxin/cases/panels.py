"""A section on the organization page: its cases, as the viewer's scope allows."""
from django.utils.translation import gettext_lazy as _

from sanxin.core.extensions import Panel

from .selectors import cases_visible_to
from .views import RAISING_ROLES


def organization_cases(actor, organization) -> Panel | None:
    cases = list(cases_visible_to(actor).filter(organization=organization)
                 .select_related("category").order_by("-id")[:10])
    can_raise = actor.has_role(*RAISING_ROLES)
    if not cases and not can_raise:
        return None
    return Panel(title=str(_("Cases")), template="cases/_organization_panel.html",
                 context={"cases": cases, "organization": organization, "can_raise": can_raise},
                 order=50)


ORGANIZATION_PANELS = [organization_cases]
