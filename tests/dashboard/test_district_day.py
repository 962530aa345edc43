"""The district counts days in Beijing time (settings.TIME_ZONE), whatever the server's clock
says: at 02:00 on 1 January in Fuling a server running on UTC still reads 31 December, and the
dashboard's "this year" must already be the new one."""
from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from sanxin.dashboard.reports import default_period
from sanxin.service.models import Visit

# 2027-01-01 02:00 in Asia/Shanghai.
NEW_YEAR_NIGHT = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)


@pytest.fixture
def new_year_night(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YEAR_NIGHT)
    assert timezone.localdate() == date(2027, 1, 1)


def test_default_report_period_is_the_districts_new_year(new_year_night):
    period = default_period()
    assert (period.start, period.end) == (date(2027, 1, 1), date(2027, 1, 1))


def test_dashboard_report_form_proposes_the_districts_year(new_year_night, district, client_for):
    form = client_for(district.district).get("/dashboard/").context["report_form"]
    assert (form["start"].value(), form["end"].value()) == (date(2027, 1, 1), date(2027, 1, 1))


def test_visits_this_year_count_from_the_districts_new_year(new_year_night, district):
    from tests.dashboard.test_figures import figures_json

    for day in (date(2026, 12, 31), date(2027, 1, 1)):
        Visit.objects.create(officer=district.officer, organization=district.b1, visited_on=day,
                             met_person="王经理", discussed="用工")
    assert figures_json()["service.visits_this_year"] == 1
