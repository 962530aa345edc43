"""The regulations of party life, one named definition each (domain README, "Party life" and
"Member development"). Change a frequency or a time limit here and every page follows.

Frequencies (《中国共产党支部工作条例(试行)》 and local practice):
  支部党员大会 once a quarter; 支委会 monthly; 党小组会 monthly; 党课 at least quarterly;
  主题党日 monthly; 组织生活会 and 民主评议党员 yearly.
"""
import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from .models import MeetingKind


class Period:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def period_start(day: date, period: str) -> date:
    if period == Period.MONTH:
        return day.replace(day=1)
    if period == Period.QUARTER:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


@lru_cache(maxsize=4096)
def period_end(day: date, period: str) -> date:
    """Cached: a district's compliance check asks for the same few ends some 100,000 times."""
    start = period_start(day, period)
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[period]
    last_month = start.month + months - 1
    return date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


def periods_between(first: date, last: date, period: str) -> list[date]:
    """Start dates of every period overlapping [first, last]."""
    starts = []
    cursor = period_start(first, period)
    while cursor <= last:
        starts.append(cursor)
        cursor = period_end(cursor, period) + timedelta(days=1)
    return starts


def period_label(start: date, period: str) -> str:
    if period == Period.MONTH:
        return f"{start.year}-{start.month:02d}"
    if period == Period.QUARTER:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


@dataclass(frozen=True)
class BranchFacts:
    """What a rule needs to know about a branch to decide whether it applies."""

    kind: str
    full_members: int


# A branch with at least 7 正式党员 elects a 支委会 (domain README, Organization); smaller branches
# have a secretary only, so no 支委会 is required of them. Party groups (党小组) are formed in the
# same larger branches, so the 党小组会 rule follows the same threshold (documented assumption).
COMMITTEE_MIN_FULL_MEMBERS = 7
BRANCH_KINDS = frozenset({"branch", "joint_branch"})


def is_branch(facts: BranchFacts) -> bool:
    return facts.kind in BRANCH_KINDS


def has_branch_committee(facts: BranchFacts) -> bool:
    return is_branch(facts) and facts.full_members >= COMMITTEE_MIN_FULL_MEMBERS


@dataclass(frozen=True)
class FrequencyRule:
    code: str
    meeting_kind: str
    period: str
    applies: Callable[[BranchFacts], bool] = is_branch
    minimum: int = 1


BRANCH_GENERAL_QUARTERLY = FrequencyRule("branch_general_quarterly", MeetingKind.BRANCH_GENERAL,
                                         Period.QUARTER)
BRANCH_COMMITTEE_MONTHLY = FrequencyRule("branch_committee_monthly", MeetingKind.BRANCH_COMMITTEE,
                                         Period.MONTH, applies=has_branch_committee)
GROUP_MONTHLY = FrequencyRule("group_monthly", MeetingKind.GROUP, Period.MONTH,
                              applies=has_branch_committee)
LECTURE_QUARTERLY = FrequencyRule("lecture_quarterly", MeetingKind.LECTURE, Period.QUARTER)
THEME_DAY_MONTHLY = FrequencyRule("theme_day_monthly", MeetingKind.THEME_DAY, Period.MONTH)
LIFE_MEETING_YEARLY = FrequencyRule("life_meeting_yearly", MeetingKind.LIFE_MEETING, Period.YEAR)
APPRAISAL_YEARLY = FrequencyRule("appraisal_yearly", MeetingKind.APPRAISAL, Period.YEAR)

FREQUENCY_RULES: tuple[FrequencyRule, ...] = (
    BRANCH_GENERAL_QUARTERLY, BRANCH_COMMITTEE_MONTHLY, GROUP_MONTHLY, LECTURE_QUARTERLY,
    THEME_DAY_MONTHLY, LIFE_MEETING_YEARLY, APPRAISAL_YEARLY,
)


class CheckStatus:
    ON_TIME = "on_time"    # held inside its period
    LATE = "late"          # made up (补开) after its period ended
    MISSING = "missing"    # period over, nothing held
    OPEN = "open"          # period still running, nothing held yet (not counted)


def check_period(rule: FrequencyRule, start: date, meetings: list[tuple[date, date]],
                 today: date) -> str:
    """Status of one rule for one period. `meetings` are (held_on, period_date) of held meetings
    of the rule's kind; a meeting satisfies the period that contains its period_date."""
    end = period_end(start, rule.period)
    inside = [held for held, counted in meetings if start <= counted <= end]
    on_time = sum(1 for held in inside if held <= end)
    if on_time >= rule.minimum:
        return CheckStatus.ON_TIME
    if len(inside) >= rule.minimum:
        return CheckStatus.LATE
    return CheckStatus.OPEN if end >= today else CheckStatus.MISSING


def compliance_rate(on_time: int, late: int, missing: int) -> float | None:
    """Share of required meeting-periods held on time; open periods are not counted."""
    required = on_time + late + missing
    return None if required == 0 else on_time / required


# 《中国共产党党章》第九条: six months in a row without party life and without good reason counts
# as leaving the party; we list members for follow-up well before that.
ABSENCE_WINDOW_DAYS = 183
REPEATED_ABSENCE_MIN = 3

MAX_HOURS_PER_DAY = Decimal(24)


def hours_problem(hours: Decimal | None) -> str | None:
    """Why these hours cannot be right, or None."""
    if hours is None:
        return "missing"
    if hours <= 0:
        return "not_positive"
    if hours > MAX_HOURS_PER_DAY:
        return "over_a_day"
    return None


# Member development (《中国共产党发展党员工作细则》, 2014).
MIN_APPLICANT_AGE = 18
TALK_WITHIN_DAYS = 30                 # the branch talks with an applicant within a month
ACTIVIST_MIN_YEARS = 1                # at least a year of training as 入党积极分子
PROBATION_YEARS = 1                   # one year of probation from the branch vote
EXTENSION_MONTHS = (6, 12)            # probation may be extended by 6 to 12 months


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def old_enough_to_apply(birth_date: date | None, applied_on: date) -> bool:
    return birth_date is None or add_years(birth_date, MIN_APPLICANT_AGE) <= applied_on


def talk_deadline(applied_on: date) -> date:
    return applied_on + timedelta(days=TALK_WITHIN_DAYS)


def talk_in_time(applied_on: date, talked_on: date | None, today: date) -> bool:
    """False when the talk was late, or is still not held and the month has passed."""
    deadline = talk_deadline(applied_on)
    return talked_on <= deadline if talked_on else today <= deadline


def earliest_candidate_date(activist_on: date) -> date:
    return add_years(activist_on, ACTIVIST_MIN_YEARS)


def probation_valid_extension(months: int) -> bool:
    return months == 0 or EXTENSION_MONTHS[0] <= months <= EXTENSION_MONTHS[1]


def probation_end(admitted_on: date, extension_months: int = 0) -> date:
    return add_months(add_years(admitted_on, PROBATION_YEARS), extension_months)
