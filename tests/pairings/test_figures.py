"""The dashboard's figures from pairings and chains follow the actor's scope."""
from datetime import date

import pytest

from sanxin.chains.figures import chain_charts, chain_figures
from sanxin.dashboard.providers import FigureScope, Period
from sanxin.pairings.figures import pairing_area_columns, pairing_figures
from sanxin.pairings.models import PairingProblem

pytestmark = pytest.mark.django_db


def values(figures):
    return {f.key: f.value for f in figures}


def test_pairing_figures_by_scope(district, world):
    PairingProblem.objects.create(pairing=world.p2, title="融资难")
    assert values(pairing_figures(FigureScope(None))) == {
        "pairings.total": 3, "pairings.active": 3, "pairings.problems_solved": 1,
        "cases.total": 2, "cases.national": 1,
        "brands.by_level.national": 1, "brands.by_level.municipal": 0, "brands.by_level.district": 1}
    area = values(pairing_figures(FigureScope(district.area_user)))
    assert area["pairings.total"] == 1 and area["cases.national"] == 1  # by paired organization
    officer = values(pairing_figures(FigureScope(district.officer_user)))
    assert officer["pairings.total"] == 2 and officer["cases.national"] == 0
    # drill-down into area B
    drilled = values(pairing_figures(FigureScope(None, area=district.area_b)))
    assert drilled["pairings.total"] == 2 and drilled["cases.total"] == 1


def test_pairing_area_columns(district, world):
    columns = {c.key: c.values for c in pairing_area_columns(
        FigureScope(None), Period(date(2023, 2, 1), date(2023, 12, 31)))}
    assert columns["pairings.total"] == {district.area_a.id: 1, district.area_b.id: 2}
    assert columns["pairings.started"] == {district.area_b.id: 2}


def test_chain_figures(district, chains_world):
    from sanxin.chains.services import deal_record

    deal_record(actor=district.district, supply=chains_world.s1, need=chains_world.n1,
                quantity=5, agreed_on=date(2024, 1, 2))
    assert values(chain_figures(FigureScope(None))) == {
        "chains.total": 2, "chains.members": 3, "chains.open_posts": 4, "chains.deals": 1}
    org = values(chain_figures(FigureScope(district.contact_a1)))
    assert org == {"chains.total": 1, "chains.members": 2, "chains.open_posts": 1,
                   "chains.deals": 1}
    assert values(chain_figures(FigureScope(district.functional_user))) == {
        "chains.total": 0, "chains.members": 0, "chains.open_posts": 0, "chains.deals": 0}
    (chart,) = chain_charts(FigureScope(None))
    assert chart.categories == ["化工新材料"] and chart.series[0].data == [1]
