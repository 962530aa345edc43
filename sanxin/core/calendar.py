"""The official working-day calendar (国务院办公厅 holiday arrangement).

The `Holiday` table holds every day that differs from Monday–Friday (days off on weekdays and
调休 working weekends); `CalendarYear` lists the years whose arrangement is in the table. It is
seeded from the `chinesecalendar` package (migration `core.0002` and `manage.py seed_holidays`) and
edited by the district each November when the State Council publishes next year's arrangement.
A year nobody has entered falls back to Monday–Friday, and `uncovered_years` lets pages warn.
"""
from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta

from django.utils import timezone

_CACHE_SECONDS = 60.0
_lock = threading.Lock()
_cache: dict[str, object] = {"loaded_at": 0.0, "days": {}, "years": frozenset()}


def invalidate_cache() -> None:
    """Called when a holiday or calendar year is saved or deleted (signals in core.apps)."""
    with _lock:
        _cache["loaded_at"] = 0.0


def _load() -> tuple[dict[date, bool], frozenset[int]]:
    """The whole table is small (≈40 rows a year); other processes see edits within a minute."""
    from .models import CalendarYear, Holiday

    with _lock:
        if time.monotonic() - float(_cache["loaded_at"]) > _CACHE_SECONDS:
            if not CalendarYear.objects.exists():
                _seed_unlocked()   # an emptied table (a flushed test database, a fresh install)
            _cache["days"] = dict(Holiday.objects.values_list("date", "is_workday"))
            _cache["years"] = frozenset(CalendarYear.objects.values_list("year", flat=True))
            _cache["loaded_at"] = time.monotonic()
        return _cache["days"], _cache["years"]  # type: ignore[return-value]


def is_working_day(day: date) -> bool:
    days, _years = _load()
    if day in days:
        return days[day]
    return day.weekday() < 5


def is_year_covered(year: int) -> bool:
    return year in _load()[1]


def uncovered_years(*days: date | datetime | None) -> list[int]:
    """Years among these dates that use the Monday–Friday fallback (show a warning for them)."""
    years = {d.year for d in days if d is not None}
    covered = _load()[1]
    return sorted(y for y in years if y not in covered)


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (the start day itself does not count)."""
    for _ in range(count):
        day = next_working_day(day)
    return day


def working_days_deadline(start: datetime, count: int) -> datetime:
    """End of the `count`-th working day after the local date of `start` (midnight following it)."""
    local_start = timezone.localtime(start)
    last = add_working_days(local_start.date(), count)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    return timezone.make_aware(end, timezone.get_current_timezone())


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


def seed_from_package(years: range | None = None, overwrite: bool = False) -> int:
    """Copy the arrangement from `chinesecalendar` for the years it covers; returns rows written.

    Days the district has edited are kept unless `overwrite`; years it entered by hand stay manual.
    """
    written = _seed_unlocked(years, overwrite)
    invalidate_cache()
    return written


def _seed_unlocked(years: range | None = None, overwrite: bool = False) -> int:
    from chinese_calendar import constants

    from .models import CalendarSource, CalendarYear, Holiday

    package_years = sorted({d.year for d in constants.holidays})
    wanted = [y for y in package_years if years is None or y in years]
    rows = [Holiday(date=d, is_workday=False, name=_holiday_name(v))
            for d, v in constants.holidays.items() if d.year in wanted]
    rows += [Holiday(date=d, is_workday=True, name=_holiday_name(v))
             for d, v in constants.workdays.items() if d.year in wanted]
    if overwrite:
        Holiday.objects.filter(date__year__in=wanted).delete()
    existing = set(Holiday.objects.filter(date__year__in=wanted).values_list("date", flat=True))
    new_rows = [r for r in rows if r.date not in existing]
    Holiday.objects.bulk_create(new_rows, batch_size=500)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source=CalendarSource.PACKAGE) for y in wanted],
        ignore_conflicts=True)
    return len(new_rows)


def _holiday_name(value) -> str:
    """chinesecalendar stores (english, chinese, days) tuples; keep the Chinese name."""
    if isinstance(value, tuple) and len(value) > 1:
        return str(value[1])
    return str(value)
