"""The working-day calendar: the 2026 Spring Festival arrangement, a year the table does not
cover (Mon–Fri fallback with a warning), and district edits taking effect."""
from datetime import date, datetime

import pytest
from django.utils import timezone

from sanxin.core import calendar
from sanxin.core.models import CalendarYear, Holiday

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    # A transactional test run earlier flushes the rows the migration seeded; put them back as
    # the first read on a fresh install would, so these tests do not depend on the order.
    if not CalendarYear.objects.exists():
        calendar.seed_from_package()
    calendar.invalidate_cache()
    yield
    calendar.invalidate_cache()


def test_table_is_seeded_from_the_package():
    assert CalendarYear.objects.filter(year=2026, source="package").exists()
    assert Holiday.objects.get(date=date(2026, 2, 14)).is_workday is True
    assert Holiday.objects.get(date=date(2026, 2, 17)).is_workday is False


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 2, 13), True),    # Friday before the festival
    (date(2026, 2, 14), True),    # Saturday worked in lieu
    (date(2026, 2, 15), False),   # Sunday, festival
    (date(2026, 2, 16), False),
    (date(2026, 2, 23), False),   # Monday, last day off
    (date(2026, 2, 24), True),
    (date(2026, 2, 28), True),    # Saturday worked in lieu
    (date(2026, 3, 1), False),    # ordinary Sunday
])
def test_spring_festival_2026(day, working):
    assert calendar.is_working_day(day) is working


def test_seven_working_days_across_the_spring_festival():
    # Signed Friday 2-13: 2-14 (Sat, worked), 2-24, 2-25, 2-26, 2-27, 2-28 (Sat, worked), 3-2.
    assert calendar.add_working_days(date(2026, 2, 13), 7) == date(2026, 3, 2)
    # Signed Thursday 2-12: 2-13, 2-14, 2-24 … 2-27 = 6, 2-28 = 7.
    assert calendar.add_working_days(date(2026, 2, 12), 7) == date(2026, 2, 28)
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_deadline_is_end_of_the_last_working_day_in_shanghai():
    signed = timezone.make_aware(datetime(2026, 2, 13, 16, 30))
    deadline = calendar.working_days_deadline(signed, 7)
    assert timezone.localtime(deadline) == timezone.make_aware(datetime(2026, 3, 3, 0, 0))


def test_uncovered_year_falls_back_to_monday_to_friday_and_warns():
    assert not calendar.is_year_covered(2031)
    assert calendar.uncovered_years(date(2026, 12, 30), date(2031, 1, 2)) == [2031]
    # 2031-01-01 is a Wednesday: with no arrangement entered it counts as a working day.
    assert calendar.is_working_day(date(2031, 1, 1)) is True
    assert calendar.is_working_day(date(2031, 1, 4)) is False   # Saturday
    # Thursday 2030-12-26 (2030 also missing): 12-27, 12-30, 12-31, 1-1, 1-2 = 5 working days.
    assert calendar.add_working_days(date(2030, 12, 26), 5) == date(2031, 1, 2)


def test_district_entries_for_a_new_year_take_effect_and_clear_the_warning():
    CalendarYear.objects.create(year=2031, source="manual")
    Holiday.objects.create(date=date(2031, 1, 1), name="元旦")
    Holiday.objects.create(date=date(2031, 1, 4), name="调休", is_workday=True)
    assert calendar.uncovered_years(date(2031, 1, 2)) == []
    assert calendar.is_working_day(date(2031, 1, 1)) is False
    assert calendar.is_working_day(date(2031, 1, 4)) is True
    assert calendar.add_working_days(date(2030, 12, 31), 2) == date(2031, 1, 3)


def test_seed_keeps_district_edits_unless_overwritten():
    Holiday.objects.filter(date=date(2026, 2, 14)).update(is_workday=False, name="本地改动")
    calendar.seed_from_package()
    assert Holiday.objects.get(date=date(2026, 2, 14)).name == "本地改动"
    calendar.seed_from_package(years=range(2026, 2027), overwrite=True)
    assert Holiday.objects.get(date=date(2026, 2, 14)).is_workday is True
