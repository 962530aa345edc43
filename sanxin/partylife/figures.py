"""Party life on the dashboard (figure-provider extension point, sanxin/dashboard/providers.py):
meeting compliance, study, vanguard units, volunteering and member development, all through the
FigureScope (actor's scope and drill-down area). Supersedes the first version the dashboard's
engineer wrote here; its keys for vanguard units and volunteering are kept."""
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxin.dashboard.providers import AreaColumn, Chart, Figure, FigureScope, Period, Series, rate
from sanxin.party.models import Member, PartyOrganization

from .models import (
    Candidate,
    DevelopmentStage,
    Meeting,
    MeetingStatus,
    StudyRecord,
    VanguardKind,
    VanguardUnit,
    VolunteerActivity,
)
from .scoping import (
    CANDIDATE_SCOPE,
    MEETING_SCOPE,
    MEMBER_SCOPE,
    PARTY_ORG_SCOPE,
    STUDY_SCOPE,
    VANGUARD_SCOPE,
    VOLUNTEER_SCOPE,
)
from .selectors import BranchCompliance, branches_for_compliance, evaluate_branches, rates_by_area


def _compliance(scope: FigureScope, first: date, last: date) -> list[BranchCompliance]:
    def compute():
        orgs = scope.scoped(PartyOrganization.objects.all(), PARTY_ORG_SCOPE)
        return evaluate_branches(list(branches_for_compliance(orgs)), first, last,
                                 timezone.localdate())

    return scope.memo(f"partylife.compliance.{first}.{last}", compute)


def _year(scope: FigureScope) -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year, 1, 1), today


def partylife_figures(scope: FigureScope) -> list[Figure]:
    first, today = _year(scope)
    rows = _compliance(scope, first, date(today.year, 12, 31))
    on_time = sum(r.on_time for r in rows)
    required = sum(r.on_time + r.late + r.missing for r in rows)
    study = scope.scoped(StudyRecord.objects.all(), STUDY_SCOPE).filter(studied_on__gte=first)
    studied = study.values("member").distinct().count()
    members = scope.scoped(Member.objects.all(), MEMBER_SCOPE).count()
    units = dict(scope.scoped(VanguardUnit.objects.all(), VANGUARD_SCOPE).order_by()
                 .values_list("kind").annotate(n=Count("id")))
    volunteering = scope.scoped(VolunteerActivity.objects.all(), VOLUNTEER_SCOPE).filter(
        held_on__gte=first).order_by().aggregate(
        n=Count("id"), hours=Sum("total_hours"), people=Sum("participant_count"),
        served=Sum("beneficiaries"))
    candidates = scope.scoped(Candidate.objects.all(), CANDIDATE_SCOPE)
    section = _("Party life")
    return [
        Figure("partylife.compliance_rate", _("Meeting compliance rate"), rate(on_time, required),
               unit="%", group=section, order=60,
               note=_("required meetings held on time this year")),
        Figure("partylife.branches_compliant", _("Branches fully compliant"),
               sum(1 for r in rows if r.compliant), group=section, order=61),
        Figure("partylife.meetings_missing", _("Required meetings missing"),
               sum(r.missing for r in rows), group=section, order=62),
        Figure("partylife.meetings_held", _("Meetings held this year"),
               scope.scoped(Meeting.objects.all(), MEETING_SCOPE).filter(
                   status=MeetingStatus.HELD, held_on__gte=first).count(),
               group=section, order=63),
        Figure("partylife.study_hours", _("Study hours this year"),
               float(study.aggregate(h=Sum("hours"))["h"] or 0), group=section, order=64),
        Figure("partylife.study_participation", _("Members who studied"), rate(studied, members),
               unit="%", group=section, order=65),
        *(Figure(f"partylife.vanguard.{value}", str(name), units.get(value, 0), group=section,
                 order=66 + i) for i, (value, name) in enumerate(VanguardKind.choices)),
        Figure("partylife.volunteer_activities", _("Volunteer activities this year"),
               volunteering["n"], group=section, order=72),
        Figure("partylife.volunteer_participants", _("Volunteer participations this year"),
               volunteering["people"] or 0, group=section, order=73),
        Figure("partylife.volunteer_hours", _("Volunteer hours this year"),
               float(volunteering["hours"] or 0), group=section, order=74),
        Figure("partylife.volunteer_beneficiaries", _("People served by volunteers this year"),
               volunteering["served"] or 0, group=section, order=75),
        Figure("partylife.candidates", _("Candidates in development"),
               candidates.exclude(stage__in=[DevelopmentStage.FULL, DevelopmentStage.WITHDRAWN])
               .count(), group=section, order=76),
    ]


def partylife_charts(scope: FigureScope) -> list[Chart]:
    first, today = _year(scope)
    by_area = rates_by_area(_compliance(scope, first, date(today.year, 12, 31)))
    units = dict(scope.scoped(VanguardUnit.objects.all(), VANGUARD_SCOPE).order_by()
                 .values_list("kind").annotate(n=Count("id")))
    return [
        Chart(key="partylife.compliance_by_area", title=_("Meeting compliance rate by area"),
              kind="bar", categories=[g.label for g in by_area],
              series=[Series(_("Meeting compliance rate"),
                             [rate(g.on_time, g.on_time + g.late + g.missing) for g in by_area])],
              drill=[g.key for g in by_area], order=60),
        Chart(key="partylife.vanguard_by_kind", title=_("Vanguard units by kind"), kind="pie",
              categories=[label for _v, label in VanguardKind.choices],
              series=[Series(_("Vanguard units"), [units.get(v, 0) for v, _l in VanguardKind.choices])],
              order=61),
    ]


def partylife_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    rows = _compliance(scope, period.start, period.end)
    on_time: dict[int, int] = {}
    required: dict[int, int] = {}
    for row in rows:
        area_id = row.org.area_id
        on_time[area_id] = on_time.get(area_id, 0) + row.on_time
        required[area_id] = required.get(area_id, 0) + row.on_time + row.late + row.missing
    in_period = Q(held_on__gte=period.start, held_on__lte=period.end)
    meetings = dict(scope.scoped(Meeting.objects.all(), MEETING_SCOPE).order_by()
                    .filter(in_period, status=MeetingStatus.HELD)
                    .values_list("party_organization__area_id").annotate(n=Count("id")))
    hours = {k: float(v or 0) for k, v in scope.scoped(StudyRecord.objects.all(), STUDY_SCOPE)
             .order_by().filter(studied_on__gte=period.start, studied_on__lte=period.end)
             .values_list("party_organization__area_id").annotate(h=Sum("hours"))}
    volunteer = {k: float(v or 0) for k, v in scope.scoped(
        VolunteerActivity.objects.all(), VOLUNTEER_SCOPE).order_by().filter(in_period)
        .values_list("party_organization__area_id").annotate(h=Sum("total_hours"))}
    activities = dict(scope.scoped(VolunteerActivity.objects.all(), VOLUNTEER_SCOPE).order_by()
                      .filter(in_period).values_list("party_organization__area_id")
                      .annotate(n=Count("id")))
    units = dict(scope.scoped(VanguardUnit.objects.all(), VANGUARD_SCOPE).order_by()
                 .values_list("party_organization__area_id").annotate(n=Count("id")))
    section = _("Party life")
    return [
        AreaColumn("partylife.meetings_held", _("Meetings held"), section, meetings, order=60),
        AreaColumn("partylife.checks_on_time", _("Required meetings on time"), section, on_time,
                   order=61),
        AreaColumn("partylife.checks_required", _("Required meetings due"), section, required,
                   order=62),
        AreaColumn("partylife.compliance_rate", _("Meeting compliance rate"), section,
                   {a: rate(on_time.get(a, 0), n) for a, n in required.items()}, total="ratio",
                   ratio_of=("partylife.checks_on_time", "partylife.checks_required"), unit="%",
                   order=63),
        AreaColumn("partylife.study_hours", _("Study hours"), section, hours, order=64),
        AreaColumn("partylife.volunteer_hours", _("Volunteer hours"), section, volunteer, order=65),
        AreaColumn("partylife.volunteer_activities", _("Volunteer activities"), section,
                   activities, order=66),
        AreaColumn("partylife.vanguard_units", _("Vanguard units"), section, units, order=67),
    ]


FIGURE_PROVIDERS = [partylife_figures]
CHART_PROVIDERS = [partylife_charts]
AREA_COLUMNS = [partylife_area_columns]
