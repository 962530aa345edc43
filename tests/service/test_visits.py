"""Visit rules at their boundaries: dates, who may be visited, the quarterly plan and 无事不扰."""
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from sanxin.service import rules, selectors, services
from sanxin.service.models import Assignment, Visit

pytestmark = pytest.mark.django_db


def log(district, org, day, **extra):
    return services.visit_log(actor=district.officer_user, organization=org, visited_on=day,
                              met_person=extra.get("met", "张经理"),
                              discussed=extra.get("discussed", "经营情况"),
                              demands=extra.get("demands", ""), today=extra.get("today"))


def test_visit_today_is_accepted_tomorrow_is_refused(district):
    today = timezone.localdate()
    assert log(district, district.b1, today).visit.pk
    with pytest.raises(ValidationError) as info:
        log(district, district.b1, today + timedelta(days=1))
    assert "visited_on" in info.value.message_dict
    assert Visit.objects.count() == 1


def test_visit_to_an_enterprise_not_served_is_refused(district):
    with pytest.raises(ValidationError) as info:
        log(district, district.a1, timezone.localdate())
    assert "organization" in info.value.message_dict
    assert not Visit.objects.exists()


def test_visit_after_reassignment_is_refused(district):
    Assignment.objects.filter(organization=district.b1).update(ended_at=timezone.now())
    with pytest.raises(ValidationError):
        log(district, district.b1, timezone.localdate())


def test_only_officers_log_visits(district):
    with pytest.raises(PermissionDenied):
        services.visit_log(actor=district.area_user, organization=district.b1,
                           visited_on=timezone.localdate(), met_person="x", discussed="y")


def test_blank_who_and_what_are_named(district):
    with pytest.raises(ValidationError) as info:
        log(district, district.b1, timezone.localdate(), met=" ", discussed="")
    assert set(info.value.message_dict) == {"met_person", "discussed"}


@override_settings(SERVICE_MAX_VISITS_PER_MONTH=2)
def test_warning_fires_above_the_monthly_limit_not_at_it(district):
    day = date(2026, 3, 5)
    assert not log(district, district.b1, day, today=day).too_many
    assert not log(district, district.b1, day.replace(day=20), today=day.replace(day=20)).too_many
    april = log(district, district.b1, date(2026, 4, 1), today=date(2026, 4, 1))
    assert not april.too_many  # another month
    third = log(district, district.b1, day.replace(day=31), today=day.replace(day=31))
    assert third.too_many and third.visits_in_month == 3
    assert Visit.objects.count() == 4  # a warning, not a refusal
    rows = selectors.frequent_visits(district.district)
    assert [(r["organization_id"], r["n"]) for r in rows] == [(district.b1.pk, 3)]


@override_settings(SERVICE_MAX_VISITS_PER_MONTH=1)
def test_the_limit_is_a_setting(district):
    day = date(2026, 3, 5)
    log(district, district.b1, day, today=day)
    assert log(district, district.b1, day, today=day).too_many


def test_quarter_boundaries():
    assert rules.quarter_start(date(2026, 3, 31)) == date(2026, 1, 1)
    assert rules.quarter_start(date(2026, 4, 1)) == date(2026, 4, 1)
    assert rules.previous_quarter_start(date(2026, 2, 1)) == date(2025, 10, 1)
    assert rules.next_quarter_start(date(2026, 12, 31)) == date(2027, 1, 1)


@pytest.mark.parametrize("this_q, last_q, assigned, expected", [
    (1, False, date(2020, 1, 1), "done"),
    (0, True, date(2020, 1, 1), "due"),
    (0, False, date(2020, 1, 1), "overdue"),
    (0, False, date(2026, 1, 1), "due"),       # assigned at the start of the last quarter
    (0, False, date(2025, 12, 31), "overdue"),  # a whole quarter before that without a visit
])
def test_visit_status(this_q, last_q, assigned, expected):
    assert rules.visit_status(visits_this_quarter=this_q, visited_last_quarter=last_q,
                              assigned_on=assigned, today=date(2026, 5, 10)) == expected


def _backdate(org, day: date):
    moment = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    Assignment.objects.filter(organization=org, ended_at__isnull=True).update(started_at=moment)


def test_overdue_list_and_whom_to_visit_next(district, officer_a):
    Assignment.objects.create(organization=district.a1, officer=officer_a)
    Assignment.objects.create(organization=district.a2, officer=officer_a)
    for org in (district.a1, district.a2, district.b1):
        _backdate(org, date(2025, 6, 1))
    on = date(2026, 5, 10)
    Visit.objects.create(officer=officer_a, organization=district.a2, visited_on=date(2026, 2, 1),
                         met_person="x", discussed="y")  # last quarter: due, not overdue
    Visit.objects.create(officer=district.officer, organization=district.b1,
                         visited_on=date(2026, 4, 2), met_person="x", discussed="y")  # done
    overdue = selectors.overdue_visits(district.district, on=on)
    assert [a.organization_id for a in overdue] == [district.a1.pk]
    assert [a.organization_id for a in selectors.overdue_visits(district.area_user, on=on)] == [
        district.a1.pk]
    assert list(selectors.overdue_visits(district.officer_user, on=on)) == []
    upcoming = selectors.visit_next(officer_a.user, officer_a, on=on)
    assert [(r.organization_id, r.status) for r in upcoming] == [
        (district.a1.pk, "overdue"), (district.a2.pk, "due")]
    by_area = selectors.overdue_by_area(district.district, on=on)
    assert [(r["organization__area__code"], r["n"]) for r in by_area] == [("500102006", 1)]


def test_visit_page_is_phone_sized_and_reports_errors(district, client_for):
    client = client_for(district.officer_user)
    page = client.get("/service/visits/new/")
    assert page.status_code == 200 and "visit-phone" in page.content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post("/service/visits/new/", {
        "organization": district.b1.pk, "visited_on": tomorrow.isoformat(),
        "met_person": "张", "discussed": "生产"})
    assert response.status_code == 200 and response.context["form"].errors["visited_on"]
    response = client.post("/service/visits/new/", {
        "organization": district.a1.pk, "visited_on": timezone.localdate().isoformat(),
        "met_person": "张", "discussed": "生产"})
    assert response.context["form"].errors["organization"]
    assert not Visit.objects.exists()
    response = client.post("/service/visits/new/", {
        "organization": district.b1.pk, "visited_on": timezone.localdate().isoformat(),
        "met_person": "张", "discussed": "生产", "demands": "用工\n\n融资"})
    assert response.status_code == 302
    assert Visit.objects.get().demand_list == ["用工", "融资"]
    home = client.get("/service/")
    assert "用工" in home.content.decode()  # open demand on the officer's home page


def test_settle_demands_only_by_the_visiting_officer(district, client_for):
    visit = log(district, district.b1, timezone.localdate(), demands="用电").visit
    assert client_for(district.district).post(
        f"/service/visits/{visit.pk}/settle/").status_code == 403
    assert client_for(district.officer_user).post(
        f"/service/visits/{visit.pk}/settle/").status_code == 302
    visit.refresh_from_db()
    assert visit.demands_resolved
