"""A section on the organization detail page: its coverage status, party organizations and
instructors (each scoped like its own pages)."""
from django.utils.translation import gettext_lazy as _

from sanxin.core.extensions import Panel
from sanxin.party.models import InstructorAssignment
from sanxin.party.selectors import instructors_visible_to, party_orgs_visible_to
from sanxin.registry.models import Organization

from .engine import Status, with_status


def coverage_panel(actor, organization) -> Panel | None:
    status = with_status(Organization.objects.filter(pk=organization.pk)).values_list(
        "coverage_status", flat=True).first()
    party_orgs = list(party_orgs_visible_to(actor).filter(units=organization).order_by("id"))
    instructors = list(instructors_visible_to(actor).filter(
        pk__in=InstructorAssignment.objects.filter(organization=organization, ended_on__isnull=True)
        .values("instructor_id")).order_by("id"))
    return Panel(title=_("Two coverages (两个覆盖)"), template="coverage/_org_panel.html",
                 context={"status": status, "status_label": Status.label(status or Status.BLANK),
                          "party_orgs": party_orgs, "instructors": instructors}, order=20)


ORGANIZATION_PANELS = [coverage_panel]
