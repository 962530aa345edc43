"""Party-life figures (vanguard units by kind, volunteering) for the dashboard and the report.

Written by the dashboard's engineer on the extension point; the partylife app may refine it."""
from django.db.models import Count, Sum

from sanxin.dashboard.labels import label
from sanxin.dashboard.providers import AreaColumn, Figure, FigureScope, Period

from .models import VanguardKind, VanguardUnit, VolunteerActivity
from .scoping import VANGUARD_SCOPE, VOLUNTEER_SCOPE


def partylife_figures(scope: FigureScope) -> list[Figure]:
    units = dict(scope.scoped(VanguardUnit.objects.all(), VANGUARD_SCOPE).order_by()
                 .values_list("kind").annotate(n=Count("id")))
    volunteering = scope.scoped(VolunteerActivity.objects.all(), VOLUNTEER_SCOPE).order_by().aggregate(
        n=Count("id"), people=Sum("participant_count"), served=Sum("beneficiaries"))
    section = label("Vanguard units and volunteering")
    figures = [Figure(f"partylife.vanguard.{value}", str(label), units.get(value, 0), group=section,
                      order=400 + i) for i, (value, label) in enumerate(VanguardKind.choices)]
    figures += [
        Figure("partylife.volunteer_activities", label("Volunteer activities"), volunteering["n"], group=section,
               order=410),
        Figure("partylife.volunteer_participants", label("Volunteer participations"), volunteering["people"] or 0,
               group=section, order=411),
        Figure("partylife.volunteer_beneficiaries", label("People served by volunteers"), volunteering["served"] or 0,
               group=section, order=412),
    ]
    return figures


def partylife_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    section = label("Vanguard units and volunteering")
    activities = dict(scope.scoped(VolunteerActivity.objects.all(), VOLUNTEER_SCOPE).order_by()
                      .filter(held_on__gte=period.start, held_on__lte=period.end)
                      .values_list("party_organization__area_id").annotate(n=Count("id")))
    units = dict(scope.scoped(VanguardUnit.objects.all(), VANGUARD_SCOPE).order_by()
                 .values_list("party_organization__area_id").annotate(n=Count("id")))
    return [AreaColumn("partylife.vanguard_units", label("Vanguard units"), section, units, order=400),
            AreaColumn("partylife.volunteer_activities", label("Volunteer activities in the period"), section,
                       activities, order=401)]


FIGURE_PROVIDERS = [partylife_figures]
AREA_COLUMNS = [partylife_area_columns]
