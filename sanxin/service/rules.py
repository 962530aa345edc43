"""The rules of door-to-door service, one named value or function each.

Settings (override in the Django settings module when a district decides otherwise):
- SERVICE_MAX_VISITS_PER_MONTH: "无事不扰" — more visits than this to one enterprise in one
  calendar month draw a warning (default 2).
- SERVICE_VISITS_PER_QUARTER: the visit plan, visits per enterprise per quarter (default 1,
  Chongqing 2023).
- SERVICE_INDUSTRY_MISMATCH_M: optimizer cost, in metres, of an officer who does not know the
  enterprise's industry (default 1,500).
- SERVICE_REBALANCE_KEEP_BONUS_M: optimizer cost, in metres, of leaving a current pair when
  rebalancing (default 1,000,000: keep every pair that rules and capacity allow).
"""
from datetime import date

from django.conf import settings
from django.db.models import Q

from .optimizer import Weights


def max_visits_per_month() -> int:
    return int(getattr(settings, "SERVICE_MAX_VISITS_PER_MONTH", 2))


def visits_per_quarter() -> int:
    return int(getattr(settings, "SERVICE_VISITS_PER_QUARTER", 1))


def optimizer_weights() -> Weights:
    return Weights(
        industry_mismatch_m=int(getattr(settings, "SERVICE_INDUSTRY_MISMATCH_M", 1_500)),
        keep_bonus_m=int(getattr(settings, "SERVICE_REBALANCE_KEEP_BONUS_M", 1_000_000)),
    )


def needs_officer_q(prefix: str = "") -> Q:
    """Which organizations must have exactly one current officer: operating enterprises."""
    return Q(**{f"{prefix}domain": "enterprise", f"{prefix}status": "operating"})


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def previous_quarter_start(day: date) -> date:
    start = quarter_start(day)
    return date(start.year - 1, 10, 1) if start.month == 1 else date(start.year, start.month - 3, 1)


def next_quarter_start(day: date) -> date:
    start = quarter_start(day)
    return date(start.year + 1, 1, 1) if start.month == 10 else date(start.year, start.month + 3, 1)


def visit_status(*, visits_this_quarter: int, visited_last_quarter: bool,
                 assigned_on: date, today: date) -> str:
    """"done" once the quarter's plan is met; "overdue" when a whole quarter under this officer
    passed without a visit and none came since; otherwise "due" (by the end of this quarter)."""
    if visits_this_quarter >= visits_per_quarter():
        return "done"
    if visits_this_quarter == 0 and not visited_last_quarter and (
            assigned_on < previous_quarter_start(today)):
        return "overdue"
    return "due"


def too_many_visits(visits_in_month: int) -> bool:
    """无事不扰: the warning fires above the monthly limit, not at it."""
    return visits_in_month > max_visits_per_month()


def visit_date_error(visited_on: date, today: date) -> bool:
    """A visit cannot be logged before it happened."""
    return visited_on > today
