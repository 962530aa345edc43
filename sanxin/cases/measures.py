"""Measures for any scope and period, per department, area or officer, with a ranking.

Each measure is a numerator over a denominator (both shown), computed in one grouped query with
conditional counts. The period selects cases by the time they were raised.
  响应率   signed within the limit ÷ cases dispatched
  按时办结率 answered by the deadline ÷ cases signed whose answer is due (answered, or past deadline)
  解决率   rated resolved ÷ rated
  满意率   satisfied or basically satisfied at the first rating ÷ cases rated at least once
          (an unsatisfied rating reopens the case, so it never counts as satisfied later)
  退单率   returned at least once ÷ cases dispatched (ever)
  重办率   reopened at least once ÷ cases rated or reopened
  整改率   problems and good suggestions with every rectification task complete ÷ those with tasks
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sanxin.accounts.models import User

from .models import Case, Rating, RectificationTask
from .selectors import cases_visible_to


@dataclass(frozen=True)
class Measure:
    code: str
    label: Promise
    numerator: Q
    denominator: Q


def measure_definitions(now: datetime) -> tuple[Measure, ...]:
    rated = Q(rated_at__isnull=False)
    ever_dispatched = Q(first_dispatched_at__isnull=False)
    due = Q(signed_at__isnull=False) & (Q(answered_at__isnull=False) | Q(deadline__lt=now))
    open_tasks = RectificationTask.objects.filter(case=OuterRef("pk"), completed_at__isnull=True)
    any_task = RectificationTask.objects.filter(case=OuterRef("pk"))
    return (
        Measure("response", _("Response rate (响应率)"),
                Q(signed_at__isnull=False, signed_at__lte=F("response_due")),
                Q(dispatched_at__isnull=False)),
        Measure("on_time", _("On-time rate (按时办结率)"),
                due & Q(answered_at__isnull=False, answered_at__lte=F("deadline")), due),
        Measure("resolved", _("Resolution rate (解决率)"), rated & Q(resolved=True), rated),
        Measure("satisfied", _("Satisfaction rate (满意率)"),
                rated & Q(rating__in=[Rating.SATISFIED, Rating.BASIC], reopen_count=0),
                rated | Q(reopen_count__gt=0)),
        Measure("returned", _("Return rate (退单率)"), ever_dispatched & Q(return_count__gt=0),
                ever_dispatched),
        Measure("reopened", _("Reopen rate (重办率)"), Q(reopen_count__gt=0),
                rated | Q(reopen_count__gt=0)),
        Measure("rectified", _("Rectification rate (整改率)"),
                Q(Exists(any_task)) & ~Q(Exists(open_tasks)), Q(Exists(any_task))),
    )


GROUPS: dict[str, tuple[str, str]] = {
    # group → (id lookup, label lookup)
    "department": ("lead_department_id", "lead_department__name"),
    "area": ("organization__area_id", "organization__area__name"),
    "officer": ("officer_id", "officer__full_name"),
}


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None   # inclusive

    def filter(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        tz = timezone.get_current_timezone()
        if self.start:
            qs = qs.filter(created_at__gte=datetime.combine(self.start, time.min, tz))
        if self.end:
            qs = qs.filter(created_at__lt=datetime.combine(self.end + timedelta(days=1), time.min, tz))
        return qs


@dataclass
class Ratio:
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return None if not self.denominator else self.numerator / self.denominator

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


@dataclass
class Row:
    key: int | None
    label: str
    cases: int
    measures: dict[str, Ratio]


def compute_measures(actor: User, period: Period, group: str = "", now: datetime | None = None,
                     rank_by: str = "") -> list[Row]:
    """One row for the whole scope (group "") or one per department/area/officer, ranked."""
    now = now or timezone.now()
    definitions = measure_definitions(now)
    qs = period.filter(cases_visible_to(actor)).exclude(state="merged")
    aggregates = {"cases": Count("id")}
    for m in definitions:
        aggregates[f"{m.code}_n"] = Count("id", filter=m.numerator)
        aggregates[f"{m.code}_d"] = Count("id", filter=m.denominator)
    if not group:
        values = qs.aggregate(**aggregates)
        return [_row(None, str(_("Whole scope")), values, definitions)]
    if group not in GROUPS:
        raise ValueError(group)
    key, label = GROUPS[group]
    grouped = qs.filter(**{f"{key}__isnull": False}).values(key, label).annotate(**aggregates)
    rows = [_row(v[key], v[label] or str(v[key]), v, definitions) for v in grouped]
    order = rank_by if rank_by in {m.code for m in definitions} else "satisfied"
    rows.sort(key=lambda r: (r.measures[order].rate is None, -(r.measures[order].rate or 0),
                             -r.cases, r.label))
    return rows


def _row(key, label, values, definitions) -> Row:
    return Row(key=key, label=label, cases=values["cases"],
               measures={m.code: Ratio(values[f"{m.code}_n"], values[f"{m.code}_d"])
                         for m in definitions})
