"""Party life on the dashboard: figures, charts and report columns through the FigureScope."""
from datetime import date

import pytest
from django.utils import timezone

from sanxin.dashboard.providers import FigureScope, Period
from sanxin.partylife import rules, services
from sanxin.partylife.figures import partylife_area_columns, partylife_charts, partylife_figures

from .test_compliance import SMALL_RULES, hold_everything

pytestmark = pytest.mark.django_db


def test_area_columns_give_compliance_per_area(district, party):
    hold_everything(party.branch_a1, 2025, rules.FREQUENCY_RULES)
    hold_everything(party.joint_a2, 2025, SMALL_RULES,
                    skip={(rules.THEME_DAY_MONTHLY.meeting_kind, date(2025, 3, 1))})
    columns = {c.key: c for c in partylife_area_columns(
        FigureScope(actor=district.district), Period(date(2025, 1, 1), date(2025, 12, 31)))}
    a, b = district.area_a.pk, district.area_b.pk
    assert columns["partylife.checks_required"].values == {a: 68, b: 22}
    assert columns["partylife.checks_on_time"].values == {a: 67, b: 0}
    assert columns["partylife.compliance_rate"].values == {a: 98.5, b: 0.0}
    assert columns["partylife.meetings_held"].values == {a: 67}
    only_a = {c.key: c for c in partylife_area_columns(
        FigureScope(actor=district.area_user), Period(date(2025, 1, 1), date(2025, 12, 31)))}
    assert set(only_a["partylife.checks_required"].values) == {a}


def test_figures_and_charts_follow_the_scope(district, party):
    today = timezone.localdate()
    for org, kind in [(party.branch_a1, "production_line"), (party.branch_b1, "pioneer_post")]:
        services.vanguard_unit_create(actor=district.district, kind=kind, name="u",
                                      party_organization_id=org.pk)
    services.study_record_create(actor=district.district, member_id=party.a1_members[0].pk,
                                 studied_on=today, mode="online", topic="t", hours=2)
    figures = {f.key: f.value for f in partylife_figures(FigureScope(actor=district.district))}
    assert (figures["partylife.vanguard.production_line"],
            figures["partylife.vanguard.pioneer_post"]) == (1, 1)
    assert figures["partylife.study_hours"] == 2.0
    assert figures["partylife.study_participation"] == round(100 / 15, 1)
    area = {f.key: f.value for f in partylife_figures(FigureScope(actor=district.area_user))}
    assert (area["partylife.vanguard.production_line"],
            area["partylife.vanguard.pioneer_post"]) == (1, 0)
    assert area["partylife.study_participation"] == round(100 / 11, 1)
    nothing = {f.key: f.value for f in partylife_figures(FigureScope(actor=district.dept_user))}
    assert nothing["partylife.vanguard.production_line"] == 0
    assert nothing["partylife.study_hours"] == 0
    charts = {c.key: c for c in partylife_charts(FigureScope(actor=district.area_user))}
    assert charts["partylife.compliance_by_area"].drill == ["500102006"]


def test_dashboard_page_shows_party_life(district, party, client_for):
    response = client_for(district.district).get("/dashboard/")
    assert response.status_code == 200
    assert "Meeting compliance rate" in response.content.decode()
