"""The organization page shows who serves it and why."""
from django.utils.translation import gettext as _

from sanxin.core.extensions import Panel

from .labels import reason_label
from .selectors import assignments_visible_to


def officer_panel(actor, organization) -> Panel | None:
    current = (assignments_visible_to(actor).filter(organization=organization, ended_at__isnull=True)
               .select_related("officer__user", "officer__area").first())
    why = reason_label(current) if current else ""
    return Panel(title=_("Service officer"), template="service/_officer_panel.html",
                 context={"assignment": current, "why": why, "org": organization}, order=40)


ORGANIZATION_PANELS = [officer_panel]
