"""Reads of party life, each through the actor's scope."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.accounts.scoping import get_visible_or_404, visible_to
from sanxin.party.models import Member, PartyOrganization

from . import rules
from .models import (
    Attendance,
    AttendanceStatus,
    Candidate,
    IntakePlan,
    Meeting,
    MeetingStatus,
    StudyPlace,
    StudyRecord,
    VanguardUnit,
    VolunteerActivity,
    VolunteerParticipation,
)
from .scoping import (
    ATTENDANCE_SCOPE,
    CANDIDATE_SCOPE,
    INTAKE_PLAN_SCOPE,
    MEETING_SCOPE,
    MEMBER_SCOPE,
    PARTICIPATION_SCOPE,
    PARTY_ORG_SCOPE,
    STUDY_PLACE_SCOPE,
    STUDY_SCOPE,
    VANGUARD_SCOPE,
    VOLUNTEER_SCOPE,
)


def today() -> date:
    return timezone.localdate()


# ---- scoped querysets -------------------------------------------------------------------------

def party_orgs_visible_to(actor: User) -> QuerySet[PartyOrganization]:
    return visible_to(actor, PartyOrganization.objects.all(), PARTY_ORG_SCOPE)


def members_visible_to(actor: User) -> QuerySet[Member]:
    return visible_to(actor, Member.objects.all(), MEMBER_SCOPE)


def meetings_visible_to(actor: User) -> QuerySet[Meeting]:
    return visible_to(actor, Meeting.objects.all(), MEETING_SCOPE)


def attendance_visible_to(actor: User) -> QuerySet[Attendance]:
    return visible_to(actor, Attendance.objects.all(), ATTENDANCE_SCOPE)


def study_records_visible_to(actor: User) -> QuerySet[StudyRecord]:
    return visible_to(actor, StudyRecord.objects.all(), STUDY_SCOPE)


def study_places_visible_to(actor: User) -> QuerySet[StudyPlace]:
    return visible_to(actor, StudyPlace.objects.all(), STUDY_PLACE_SCOPE)


def vanguard_units_visible_to(actor: User) -> QuerySet[VanguardUnit]:
    return visible_to(actor, VanguardUnit.objects.all(), VANGUARD_SCOPE)


def volunteer_activities_visible_to(actor: User) -> QuerySet[VolunteerActivity]:
    return visible_to(actor, VolunteerActivity.objects.all(), VOLUNTEER_SCOPE)


def participations_visible_to(actor: User) -> QuerySet[VolunteerParticipation]:
    return visible_to(actor, VolunteerParticipation.objects.all(), PARTICIPATION_SCOPE)


def candidates_visible_to(actor: User) -> QuerySet[Candidate]:
    return visible_to(actor, Candidate.objects.all(), CANDIDATE_SCOPE)


def intake_plans_visible_to(actor: User) -> QuerySet[IntakePlan]:
    return visible_to(actor, IntakePlan.objects.all(), INTAKE_PLAN_SCOPE)


def get_meeting(actor: User, pk) -> Meeting:
    return get_visible_or_404(meetings_visible_to(actor).select_related(
        "party_organization__area", "place"), pk)


def get_vanguard_unit(actor: User, pk) -> VanguardUnit:
    return get_visible_or_404(vanguard_units_visible_to(actor).select_related(
        "party_organization__area", "organization"), pk)


def get_volunteer_activity(actor: User, pk) -> VolunteerActivity:
    return get_visible_or_404(volunteer_activities_visible_to(actor).select_related(
        "party_organization__area", "team"), pk)


def get_candidate(actor: User, pk) -> Candidate:
    return get_visible_or_404(candidates_visible_to(actor).select_related(
        "party_organization__area", "employer"), pk)


def get_party_org(actor: User, pk) -> PartyOrganization:
    return get_visible_or_404(party_orgs_visible_to(actor).select_related("area"), pk)


def party_org_tree_ids(root_id: int) -> list[int]:
    """The party organization and every organization below it."""
    ids, frontier = [root_id], [root_id]
    while frontier:
        frontier = list(PartyOrganization.objects.filter(parent_id__in=frontier)
                        .values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def branch_domain_subquery():
    """The domain of a party organization: that of its first covered unit."""
    through = PartyOrganization.units.through
    return Subquery(through.objects.filter(partyorganization_id=OuterRef("pk"))
                    .order_by("organization_id").values("organization__domain")[:1])


# ---- compliance -------------------------------------------------------------------------------

@dataclass
class RuleResult:
    rule: rules.FrequencyRule
    periods: list[tuple[str, str]]  # (period label, CheckStatus)

    def count(self, status: str) -> int:
        return sum(1 for _label, s in self.periods if s == status)


@dataclass
class BranchCompliance:
    org: PartyOrganization
    domain: str | None
    full_members: int
    results: list[RuleResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return self._counts[status]

    @cached_property
    def _counts(self) -> Counter:
        """Counted once: figures and reports ask each row for several statuses (the results are
        complete when `evaluate_branches` returns the row)."""
        return Counter(status for result in self.results for _label, status in result.periods)

    @property
    def on_time(self) -> int:
        return self.count(rules.CheckStatus.ON_TIME)

    @property
    def late(self) -> int:
        return self.count(rules.CheckStatus.LATE)

    @property
    def missing(self) -> int:
        return self.count(rules.CheckStatus.MISSING)

    @property
    def rate(self) -> float | None:
        return rules.compliance_rate(self.on_time, self.late, self.missing)

    @property
    def compliant(self) -> bool:
        return self.missing == 0 and self.late == 0


def branches_for_compliance(orgs: QuerySet[PartyOrganization]) -> QuerySet[PartyOrganization]:
    return (orgs.filter(kind__in=rules.BRANCH_KINDS).select_related("area")
            .annotate(full_members=Count("members", filter=Q(members__status="full"),
                                         distinct=True),
                      domain=branch_domain_subquery())
            .order_by("area__code", "id"))


def evaluate_branches(branches: list[PartyOrganization], first: date, last: date,
                      on: date) -> list[BranchCompliance]:
    """Check every frequency rule for every period in [first, last] (periods after `on` are not
    yet due). Meetings are read once for all branches."""
    by_org_kind: dict[tuple[int, str], list[tuple[date, date]]] = defaultdict(list)
    held = Meeting.objects.filter(
        party_organization_id__in=[b.pk for b in branches], status=MeetingStatus.HELD,
        held_on__gte=rules.period_start(first, rules.Period.YEAR),
    ).values_list("party_organization_id", "kind", "held_on", "counts_for")
    for org_id, kind, held_on, counts_for in held:
        by_org_kind[(org_id, kind)].append((held_on, counts_for or held_on))
    out = []
    last_due = min(last, on)
    # The periods (and their labels) are the same for every branch: listed once per rule.
    periods_of = {rule: [(rules.period_label(start, rule.period), start)
                         for start in rules.periods_between(first, last_due, rule.period)]
                  for rule in rules.FREQUENCY_RULES}
    for branch in branches:
        facts = rules.BranchFacts(kind=branch.kind, full_members=branch.full_members)
        row = BranchCompliance(org=branch, domain=branch.domain, full_members=branch.full_members)
        for rule in rules.FREQUENCY_RULES:
            if not rule.applies(facts):
                continue
            meetings = by_org_kind.get((branch.pk, rule.meeting_kind), [])
            periods = [(label, rules.check_period(rule, start, meetings, on))
                       for label, start in periods_of[rule]]
            row.results.append(RuleResult(rule=rule, periods=periods))
        out.append(row)
    return out


def branch_compliance(actor: User, year: int, on: date | None = None,
                      area_code: str = "") -> list[BranchCompliance]:
    orgs = party_orgs_visible_to(actor)
    if area_code:
        orgs = orgs.filter(area__code=area_code)
    on = on or today()
    return evaluate_branches(list(branches_for_compliance(orgs)), date(year, 1, 1),
                             date(year, 12, 31), on)


@dataclass
class RateRow:
    key: str
    label: str
    branches: int = 0
    compliant_branches: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def rate(self) -> float | None:
        return rules.compliance_rate(self.on_time, self.late, self.missing)


def _group_rates(rows: list[BranchCompliance], key_label) -> list[RateRow]:
    grouped: dict[str, RateRow] = {}
    for row in rows:
        key, label = key_label(row)
        group = grouped.setdefault(key, RateRow(key=key, label=label))
        group.branches += 1
        group.compliant_branches += row.compliant
        group.on_time += row.on_time
        group.late += row.late
        group.missing += row.missing
    return sorted(grouped.values(), key=lambda g: g.key)


def rates_by_area(rows: list[BranchCompliance]) -> list[RateRow]:
    return _group_rates(rows, lambda r: (r.org.area.code, r.org.area.name))


def rates_by_domain(rows: list[BranchCompliance]) -> list[RateRow]:
    from sanxin.registry.models import Domain

    labels = dict(Domain.choices)
    return _group_rates(rows, lambda r: (r.domain or "-", str(labels.get(r.domain, "—"))))


@dataclass(frozen=True)
class Alert:
    org: PartyOrganization
    rule: rules.FrequencyRule
    period: str
    status: str


def alerts_from(rows: list[BranchCompliance]) -> list[Alert]:
    """Missing and late meetings, addressed to the branch and (through scope) its area."""
    return [Alert(org=row.org, rule=result.rule, period=label, status=status)
            for row in rows for result in row.results for label, status in result.periods
            if status in (rules.CheckStatus.MISSING, rules.CheckStatus.LATE)]


def repeated_absences(actor: User, on: date | None = None,
                      minimum: int = rules.REPEATED_ABSENCE_MIN) -> QuerySet[Member]:
    """Members absent without leave, and not made up, at `minimum` or more meetings in the
    window before `on`."""
    on = on or today()
    since = on - timedelta(days=rules.ABSENCE_WINDOW_DAYS)
    absent = Q(attendance__status=AttendanceStatus.ABSENT, attendance__made_up_on__isnull=True,
               attendance__meeting__held_on__gte=since, attendance__meeting__held_on__lte=on)
    return (members_visible_to(actor).annotate(absences=Count("attendance", filter=absent))
            .filter(absences__gte=minimum).select_related("party_organization__area")
            .order_by("-absences", "id"))


# ---- study -------------------------------------------------------------------------------------

def study_totals(actor: User, year: int, by: str = "branch") -> list[dict]:
    """Hours, records and participation (members who studied ÷ members) per branch or area."""
    records = study_records_visible_to(actor).filter(studied_on__year=year)
    orgs = party_orgs_visible_to(actor)
    if by == "area":
        key, label = "party_organization__area_id", "party_organization__area__name"
        member_key = "party_organization__area_id"
    else:
        key, label = "party_organization_id", "party_organization__name"
        member_key = "party_organization_id"
    totals = {row[key]: row for row in records.values(key, label).annotate(
        hours=Sum("hours"), records=Count("id"), online=Count("id", filter=Q(mode="online")),
        studied=Count("member", distinct=True))}
    members = dict(Member.objects.filter(party_organization__in=orgs).values(member_key)
                   .annotate(n=Count("id")).values_list(member_key, "n"))
    out = []
    for group_id, row in totals.items():
        membership = members.get(group_id, 0)
        out.append({"id": group_id, "name": row[label], "hours": row["hours"] or Decimal(0),
                    "records": row["records"], "online": row["online"],
                    "studied": row["studied"], "members": membership,
                    "participation": row["studied"] / membership if membership else None})
    return sorted(out, key=lambda r: -r["hours"])


# ---- vanguard and volunteering ----------------------------------------------------------------

def vanguard_counts(actor: User) -> dict:
    units = vanguard_units_visible_to(actor)
    by_kind = dict(units.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    by_area = list(units.values("party_organization__area__code", "party_organization__area__name")
                   .annotate(n=Count("id")).order_by("party_organization__area__code"))
    return {"by_kind": by_kind, "by_area": by_area, "total": sum(by_kind.values())}


def volunteer_totals(actor: User, by: str) -> list[dict]:
    """Activities, participants and hours per member, volunteer team or party organization."""
    parts = participations_visible_to(actor)
    key, label = {
        "member": ("member_id", "member__name"),
        "team": ("activity__team_id", "activity__team__name"),
        "organization": ("activity__party_organization_id",
                         "activity__party_organization__name"),
    }[by]
    return list(parts.values(key, label).annotate(
        activities=Count("activity", distinct=True), participants=Count("member", distinct=True),
        hours=Sum("hours")).order_by("-hours")[:200])


# ---- member development -----------------------------------------------------------------------

def intake_progress(actor: User, year: int) -> list[dict]:
    """Planned admissions per area against the branch votes (预备党员) of that year."""
    plans = intake_plans_visible_to(actor).filter(year=year).select_related("area")
    admitted = dict(candidates_visible_to(actor).filter(admitted_on__year=year)
                    .values("party_organization__area_id").annotate(n=Count("id"))
                    .values_list("party_organization__area_id", "n"))
    return [{"plan": plan, "admitted": admitted.get(plan.area_id, 0)} for plan in plans]
