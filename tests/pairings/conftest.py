"""Pairings, brands and cases on the shared hand-built district.

P1: 区委组织部机关党支部 (leader area: district root) ⇄ a1 (area A)
P2: 崇义街道村党支部 (leader area: B) ⇄ b1 (area B)
P3: 敦仁街道社区党支部 (leader area: A) ⇄ b1 (area B)
brand_a / case_a (national 2023): po_a1 covering a1 (area A)
brand_b / case_b (district 2021): po_b1 covering b1 (area B)
"""
from dataclasses import dataclass
from datetime import date

import pytest

from sanxin.pairings.models import Brand, CaseStudy, Honour, Pairing
from sanxin.party.models import PartyOrganization


@dataclass
class PairingWorld:
    po_a1: PartyOrganization
    po_b1: PartyOrganization
    p1: Pairing
    p2: Pairing
    p3: Pairing
    brand_a: Brand
    brand_b: Brand
    case_a: CaseStudy
    case_b: CaseStudy


def branch(name, org):
    po = PartyOrganization.objects.create(name=name, kind="branch", area=org.area)
    po.units.add(org)
    return po


@pytest.fixture
def world(district) -> PairingWorld:
    d = district
    po_a1 = branch("甲一化工党支部", d.a1)
    po_b1 = branch("乙一机械党支部", d.b1)
    p1 = Pairing.objects.create(leader_kind="organ", leader_name="区委组织部机关党支部",
                                leader_area=d.root, organization=d.a1, partner_party_org=po_a1,
                                started_on=date(2023, 1, 1))
    p2 = Pairing.objects.create(leader_kind="village", leader_name="崇义街道新民社区党支部",
                                leader_area=d.area_b, organization=d.b1,
                                started_on=date(2023, 2, 1))
    p3 = Pairing.objects.create(leader_kind="village", leader_name="敦仁街道红光社区党支部",
                                leader_area=d.area_a, organization=d.b1,
                                started_on=date(2023, 3, 1))
    brand_a = Brand.objects.create(party_organization=po_a1, name="红色引擎", slogan="党建强")
    brand_b = Brand.objects.create(party_organization=po_b1, name="匠心向党", slogan="技能报国",
                                   domain="enterprise")
    case_a = CaseStudy.objects.create(party_organization=po_a1, brand=brand_a, title="引擎案例",
                                      year=2023, domain="enterprise")
    Honour.objects.create(case_study=case_a, title="全国企业党建创新案例", level="national",
                          year=2023, awarding_body="组委会")
    case_b = CaseStudy.objects.create(party_organization=po_b1, brand=brand_b, title="匠心案例",
                                      year=2021, domain="social")
    Honour.objects.create(case_study=case_b, title="区级优秀品牌", level="district", year=2022,
                          awarding_body="区委两新工委")
    return PairingWorld(po_a1, po_b1, p1, p2, p3, brand_a, brand_b, case_a, case_b)


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the msgids); test_i18n checks the zh-Hans ones."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def chains_world(district):
    from tests.chains.conftest import build_chains

    return build_chains(district)
