"""Match proposals on hand-built chains whose best matches are known."""
from datetime import date

import pytest

from sanxin.chains import rules
from sanxin.chains.models import ChainMember
from sanxin.chains.selectors import propose_matches
from tests.factories import OrganizationFactory

from .conftest import make_chain, make_post

pytestmark = pytest.mark.django_db

BASE = (29.70, 107.39)


def org_at(area, dlat, name, lat=None, lng=None):
    """An enterprise `dlat` degrees of latitude north of BASE (one degree ≈ 111.2 km)."""
    return OrganizationFactory(name=name, area=area, latitude=BASE[0] + dlat if lat is None else
                               lat, longitude=BASE[1] if lng is None else lng)


@pytest.fixture
def line(district):
    """raw (1) → parts (2) → assembly (3) → market (4); the buyer sits at assembly."""
    chain, links = make_chain("测试链", None, [("upstream", "raw"), ("midstream", "parts"),
                                               ("midstream", "assembly"), ("downstream", "market")])
    area = district.area_a

    def member(org, position):
        return ChainMember.objects.create(chain=chain, link=links[position - 1], organization=org)

    buyer = member(org_at(area, 0, "买方"), 3)
    return chain, links, member, buyer, area


def test_haversine_known_distances():
    assert rules.haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.01)
    assert rules.haversine_km(29.70, 107.39, 29.70, 107.39) == 0
    # Chongqing 涪陵 to 重庆 city centre, about 100 km
    assert rules.haversine_km(29.703, 107.389, 29.563, 106.551) == pytest.approx(82.4, abs=1.0)
    assert rules.haversine_km(None, 1, 2, 3) is None


def test_nearest_upstream_supplier_first_and_downstream_products_excluded(line):
    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "芯片")
    far = make_post(member(org_at(area, 0.10, "远方"), 2), "supply", "芯片")        # ≈ 11.1 km
    near = make_post(member(org_at(area, 0.01, "近邻"), 2), "supply", "芯片")       # ≈ 1.1 km
    mid = make_post(member(org_at(area, 0.05, "中间"), 1), "supply", "芯片")        # ≈ 5.6 km
    same = make_post(member(org_at(area, 0.03, "同环节"), 3), "supply", "芯片")     # ≈ 3.3 km
    make_post(member(org_at(area, 0.001, "下游"), 4), "supply", "芯片")             # products do not flow up
    make_post(member(org_at(area, 0.002, "别的品类"), 2), "supply", "电池")
    proposals = propose_matches(need)
    assert [p.post for p in proposals] == [near, same, mid, far]
    assert proposals[0].distance_km == pytest.approx(1.11, abs=0.01)
    assert [p.step_gap for p in proposals] == [1, 0, 2, 1]


def test_a_service_may_come_from_any_step(line):
    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "物流运输", offer="service")
    downstream = make_post(member(org_at(area, 0.02, "物流公司"), 4), "supply", "物流运输",
                           offer="service")
    assert [p.post for p in propose_matches(need)] == [downstream]


def test_equal_distance_prefers_the_closer_step_then_the_earlier_post(line):
    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "钢材")
    two_steps = make_post(member(org_at(area, 0.02, "原料甲"), 1), "supply", "钢材")
    one_step = make_post(member(org_at(area, 0.02, "零件乙"), 2), "supply", "钢材")
    one_step_later = make_post(member(org_at(area, 0.02, "零件丙"), 2), "supply", "钢材")
    assert [p.post for p in propose_matches(need)] == [one_step, one_step_later, two_steps]


def test_excluded_candidates(line):
    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "钢材", starts=date(2024, 1, 1), ends=date(2024, 6, 30))
    # the buyer itself at another step
    make_post(member(buyer.organization, 2), "supply", "钢材")
    closed = make_post(member(org_at(area, 0.01, "已关闭"), 2), "supply", "钢材")
    closed.status = "closed"
    closed.save()
    make_post(member(org_at(area, 0.01, "期后"), 2), "supply", "钢材", starts=date(2024, 7, 1),
              ends=date(2024, 12, 31))
    other_chain, other_links = make_chain("另一条链", None, [("upstream", "x")])
    ChainMember.objects.create(chain=other_chain, link=other_links[0],
                               organization=org_at(area, 0.01, "别的链"))
    make_post(other_chain.members.get(), "supply", "钢材")
    assert propose_matches(need) == []


def test_category_matches_across_width_and_case(line):
    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "PA66")
    supply = make_post(member(org_at(area, 0.01, "宽字符"), 2), "supply", "pa66")
    assert [p.post for p in propose_matches(need)] == [supply]


def test_enterprises_without_coordinates_come_last(line):
    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "钢材")
    unknown = make_post(member(org_at(area, 0, "无坐标", lat=None), 2), "supply", "钢材")
    unknown.organization.latitude = None
    unknown.organization.save()
    far = make_post(member(org_at(area, 0.5, "很远"), 2), "supply", "钢材")
    proposals = propose_matches(need)
    assert [p.post for p in proposals] == [far, unknown]
    assert proposals[1].distance_km is None


def test_proposals_for_a_supply_point_to_needs_downstream(line):
    chain, links, member, buyer, area = line
    supply = make_post(member(org_at(area, 0.01, "供方"), 2), "supply", "轴承", quantity=50)
    need = make_post(buyer, "need", "轴承", quantity=80)
    make_post(member(org_at(area, 0.001, "上游需方"), 1), "need", "轴承")  # upstream: no
    proposals = propose_matches(supply)
    assert [p.post for p in proposals] == [need]
    assert proposals[0].quantity == 50


def test_a_pair_with_a_deal_is_not_proposed_again(district, line):
    from sanxin.chains.services import deal_record

    chain, links, member, buyer, area = line
    need = make_post(buyer, "need", "钢材")
    near = make_post(member(org_at(area, 0.01, "近"), 2), "supply", "钢材")
    far = make_post(member(org_at(area, 0.02, "远"), 2), "supply", "钢材")
    deal = deal_record(actor=district.district, supply=near, need=need, quantity=10,
                       agreed_on=date(2024, 3, 1))
    assert deal.distance_km == pytest.approx(1.11, abs=0.01)
    assert [p.post for p in propose_matches(need)] == [far]


def test_the_market_batch_gives_the_same_proposals_as_one_by_one(line):
    from sanxin.chains.selectors import propose_for_needs

    chain, links, member, buyer, area = line
    needs = [make_post(buyer, "need", cat) for cat in ("钢材", "芯片", "轴承")]
    needs.append(make_post(member(org_at(area, 0.2, "上游买方"), 2), "need", "钢材"))
    for i, cat in enumerate(["钢材", "芯片", "钢材", "轴承", "钢材", "芯片"]):
        make_post(member(org_at(area, 0.01 * (i + 1), f"供方{i}"), 1 + i % 4), "supply", cat)
    batch = dict(propose_for_needs(chain, needs, limit=3))
    for need in needs:
        one_by_one = propose_matches(need, limit=3)
        assert [(p.post.pk, p.distance_km, p.step_gap) for p in batch[need]] == \
            [(p.post.pk, p.distance_km, p.step_gap) for p in one_by_one]
    assert any(batch[n] for n in needs)
