"""Hand-built chains on the shared district (see tests/conftest.py).

chain1 (committee at the district root): link 1 a1, link 2 b1
chain2 (committee in area B): link 1 b1, link 2 a2
posts: s1 a1 supply (chain1), n1 b1 need (chain1), s2 b1 supply (chain2), n2 a2 need (chain2)
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from sanxin.chains.models import Chain, ChainLink, ChainMember, Post
from sanxin.party.models import PartyOrganization


@dataclass
class ChainWorld:
    chain1: Chain
    chain2: Chain
    committee1: PartyOrganization
    committee2: PartyOrganization
    s1: Post
    n1: Post
    s2: Post
    n2: Post


def make_post(member: ChainMember, kind: str, category: str = "己二酸", quantity=100,
              offer: str = "product", starts=date(2024, 1, 1), ends=date(2024, 12, 31)) -> Post:
    return Post.objects.create(member=member, chain=member.chain,
                               organization=member.organization, kind=kind, offer=offer,
                               category=category, quantity=Decimal(quantity), unit="吨",
                               starts_on=starts, ends_on=ends)


def make_chain(name, committee, steps):
    chain = Chain.objects.create(name=name, committee=committee)
    links = [ChainLink.objects.create(chain=chain, stage=stage, name=step, position=i)
             for i, (stage, step) in enumerate(steps, start=1)]
    return chain, links


@pytest.fixture
def chains(district) -> ChainWorld:
    return build_chains(district)


def build_chains(district) -> ChainWorld:
    d = district
    committee1 = PartyOrganization.objects.create(name="链一联合党委", kind="functional_committee",
                                                  area=d.root)
    committee2 = PartyOrganization.objects.create(name="链二联合党委", kind="functional_committee",
                                                  area=d.area_b)
    chain1, (l11, l12) = make_chain("化工新材料", committee1,
                                    [("upstream", "原料"), ("midstream", "加工")])
    chain2, (l21, l22) = make_chain("页岩气", committee2,
                                    [("upstream", "开发"), ("downstream", "利用")])
    m_a1 = ChainMember.objects.create(chain=chain1, link=l11, organization=d.a1)
    m_b1 = ChainMember.objects.create(chain=chain1, link=l12, organization=d.b1)
    m2_b1 = ChainMember.objects.create(chain=chain2, link=l21, organization=d.b1)
    m2_a2 = ChainMember.objects.create(chain=chain2, link=l22, organization=d.a2)
    return ChainWorld(chain1, chain2, committee1, committee2,
                      s1=make_post(m_a1, "supply"), n1=make_post(m_b1, "need"),
                      s2=make_post(m2_b1, "supply", "天然气"), n2=make_post(m2_a2, "need", "天然气"))


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English (the msgids); test_i18n checks the zh-Hans ones."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
