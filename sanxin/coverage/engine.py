"""The 两个覆盖 engine: the coverage status of every organization and the rates over any scope.

Status of an organization (first that applies):
- 单建 (single): a party organization (not a 功能型党委) covers it and only it;
- 联建 (joint): a party organization covering several units covers it;
- 工作覆盖 (work): an active instructor or liaison is assigned to it;
- 空白 (blank): none of these.

组织覆盖率 = (单建 + 联建) ÷ total; 单独组建率 = 单建 ÷ total; 工作覆盖率 = 工作覆盖 ÷ total;
两个覆盖率 = (单建 + 联建 + 工作覆盖) ÷ total. The total is the "三有" organizations of the scope by
default, or all of them.

Every set is an uncorrelated `id IN (subquery)`: PostgreSQL evaluates each once as a hashed
subplan, so one pass over the organizations, grouped by the grouping fields and the status,
answers every rate of every grouping (bench/coverage.py: as fast as one hand-written query).
"""
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from sanxin.party.models import InstructorAssignment, PartyOrganization
from sanxin.party.rules import COVERAGE_KINDS
from sanxin.registry.models import Organization


class Status:
    SINGLE = "single"
    JOINT = "joint"
    WORK = "work"
    BLANK = "blank"

    CHOICES = [
        (SINGLE, _("Own organization (单建)")),
        (JOINT, _("Joint organization (联建)")),
        (WORK, _("Work coverage (工作覆盖)")),
        (BLANK, _("Blind spot (空白)")),
    ]

    @classmethod
    def label(cls, code: str) -> str:
        return str(dict(cls.CHOICES).get(code, code))


def _covering_units(among=None):
    units = PartyOrganization.units.through.objects.filter(partyorganization__kind__in=COVERAGE_KINDS)
    return units if among is None else units.filter(organization_id__in=among)


# `among` (organization ids) narrows each set to a few organizations, so that the summary's refresh
# of one organization reads index entries instead of hashing every covered unit of the district.
def single_org_ids(among=None) -> QuerySet:
    return _covering_units(among).filter(partyorganization__unit_count=1).values("organization_id")


def joint_org_ids(among=None) -> QuerySet:
    return _covering_units(among).filter(partyorganization__unit_count__gt=1).values("organization_id")


def work_org_ids(among=None) -> QuerySet:
    current = InstructorAssignment.objects.filter(ended_on__isnull=True, instructor__active=True)
    return (current if among is None else current.filter(organization_id__in=among)
            ).values("organization_id")


def status_conditions() -> dict[str, Q]:
    """One condition per status, mutually exclusive, in the order of precedence."""
    single = Q(pk__in=single_org_ids())
    joint = Q(pk__in=joint_org_ids()) & ~single
    work = Q(pk__in=work_org_ids()) & ~Q(pk__in=single_org_ids()) & ~Q(pk__in=joint_org_ids())
    blank = ~Q(pk__in=single_org_ids()) & ~Q(pk__in=joint_org_ids()) & ~Q(pk__in=work_org_ids())
    return {Status.SINGLE: single, Status.JOINT: joint, Status.WORK: work, Status.BLANK: blank}


def status_expression(among=None) -> Case:
    """The status of each organization as one CASE (the first set that holds it wins)."""
    if among is None:
        return _district_status_expression()
    return _status_case(among)


@functools.cache
def _district_status_expression() -> Case:
    # Built once per process: the three subqueries are expressions, cloned by each query that
    # uses them, so reusing them only saves building them (a fifth of the engine's Python time).
    return _status_case(None)


def _status_case(among) -> Case:
    return Case(
        When(pk__in=single_org_ids(among), then=Value(Status.SINGLE)),
        When(pk__in=joint_org_ids(among), then=Value(Status.JOINT)),
        When(pk__in=work_org_ids(among), then=Value(Status.WORK)),
        default=Value(Status.BLANK), output_field=CharField())


def with_status(orgs: QuerySet[Organization], among=None) -> QuerySet[Organization]:
    return orgs.annotate(coverage_status=status_expression(among))


def filter_status(orgs: QuerySet[Organization], status: str) -> QuerySet[Organization]:
    conditions = status_conditions()
    if status == "covered":  # 组织覆盖: 单建 or 联建
        return orgs.filter(Q(pk__in=single_org_ids()) | Q(pk__in=joint_org_ids()))
    return orgs.filter(conditions[status]) if status in conditions else orgs


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.numerator, self.denominator)

    def as_dict(self) -> dict:
        pct = self.percent
        return {"numerator": self.numerator, "denominator": self.denominator,
                "percent": None if pct is None else float(pct)}


@dataclass
class CoverageCounts:
    key: object
    label: str
    total: int = 0
    single: int = 0
    joint: int = 0
    work: int = 0

    @property
    def blank(self) -> int:
        return self.total - self.single - self.joint - self.work

    @property
    def organized(self) -> int:
        return self.single + self.joint

    @property
    def org_rate(self) -> Rate:
        """组织覆盖率."""
        return Rate(self.organized, self.total)

    @property
    def single_rate(self) -> Rate:
        """单独组建率."""
        return Rate(self.single, self.total)

    @property
    def work_rate(self) -> Rate:
        """工作覆盖率 (organizations covered by work only)."""
        return Rate(self.work, self.total)

    @property
    def both_rate(self) -> Rate:
        """两个覆盖率."""
        return Rate(self.organized + self.work, self.total)

    def rates(self) -> dict[str, Rate]:
        return {"org_rate": self.org_rate, "single_rate": self.single_rate,
                "work_rate": self.work_rate, "both_rate": self.both_rate}

    def count(self, status: str, n: int) -> None:
        self.total += n
        if status in (Status.SINGLE, Status.JOINT, Status.WORK):
            setattr(self, status, getattr(self, status) + n)

    def add(self, other: "CoverageCounts") -> None:
        self.total += other.total
        self.single += other.single
        self.joint += other.joint
        self.work += other.work


METRICS = {
    "org_rate": _("Organizational coverage (组织覆盖率)"),
    "single_rate": _("Own-branch rate (单独组建率)"),
    "work_rate": _("Work coverage (工作覆盖率)"),
    "both_rate": _("Two coverages (两个覆盖率)"),
}

# grouping name → Organization field
GROUPINGS = {"area": "area_id", "industry": "industry", "domain": "domain",
             "authority": "authority_id"}


def count_aggregates() -> dict:
    conditions = status_conditions()
    return {
        "total": Count("pk"),
        "single": Count("pk", filter=conditions[Status.SINGLE]),
        "joint": Count("pk", filter=conditions[Status.JOINT]),
        "work": Count("pk", filter=conditions[Status.WORK]),
    }


def population(orgs: QuerySet[Organization], *, include_all: bool = False) -> QuerySet[Organization]:
    """The denominator: the "三有" organizations by default, all of them on request."""
    return orgs if include_all else orgs.filter(is_sanyou=True)


def coverage_counts(orgs: QuerySet[Organization], groupings: tuple[str, ...] | list[str] = ()
                    ) -> tuple[CoverageCounts, dict[str, list[CoverageCounts]]]:
    """The totals and the counts per group of every grouping asked, in one query: the rows are
    grouped by the grouping fields and the status, then folded here (a few thousand rows at most).
    Groups with no organization do not appear."""
    columns = list(dict.fromkeys(GROUPINGS[g] for g in groupings))
    rows = (with_status(orgs).order_by().values(*columns, "coverage_status")
            .annotate(n=Count("pk")).values_list(*columns, "coverage_status", "n"))
    return fold(rows, columns, groupings)


STATUS_SLOT = {Status.SINGLE: 1, Status.JOINT: 2, Status.WORK: 3}


def fold(rows, columns: list[str], groupings) -> tuple[CoverageCounts, dict[str, list[CoverageCounts]]]:
    """Totals and groups from rows of (*columns, status, n): the engine's and the summary's alike.
    Counts go into plain lists [total, single, joint, work] first (a few thousand rows at most)."""
    position = [(g, columns.index(GROUPINGS[g])) for g in groupings]
    totals = [0, 0, 0, 0]
    per_group: dict[str, dict] = {g: {} for g in groupings}
    for row in rows:
        n = row[-1]
        if not n:
            continue
        slot = STATUS_SLOT.get(row[-2])
        totals[0] += n
        if slot:
            totals[slot] += n
        for grouping, index in position:
            counts = per_group[grouping].get(row[index])
            if counts is None:
                counts = per_group[grouping][row[index]] = [0, 0, 0, 0]
            counts[0] += n
            if slot:
                counts[slot] += n
    result = {}
    for grouping, groups in per_group.items():
        labels = group_labels(grouping)
        result[grouping] = [
            CoverageCounts(key, labels.get(key, str(key or "—")), *groups[key])
            for key in sorted(groups, key=lambda k: (str(k) if k is not None else "~"))]
    return CoverageCounts(None, str(_("Total")), *totals), result


def coverage_totals(orgs: QuerySet[Organization]) -> CoverageCounts:
    return coverage_counts(orgs)[0]


def coverage_by(orgs: QuerySet[Organization], grouping: str) -> list[CoverageCounts]:
    return coverage_counts(orgs, [grouping])[1][grouping]


def group_labels(grouping: str) -> dict:
    from sanxin.core.codes import IndustrySection
    from sanxin.registry.models import Area, Department, Domain

    if grouping == "area":
        return dict(Area.objects.values_list("id", "name"))
    if grouping == "authority":
        return {None: str(_("No authority")), **dict(Department.objects.values_list("id", "name"))}
    if grouping == "industry":
        return {k: str(v) for k, v in IndustrySection.choices}
    if grouping == "domain":
        return {k: str(v) for k, v in Domain.choices}
    return {}
