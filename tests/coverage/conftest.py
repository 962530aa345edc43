"""A hand-built coverage world on top of the shared district fixture, with known answers.

area A (敦仁): a1 单建 · a2 空白 (industry F, dept Y) · a3+a4 联建 · a5 工作覆盖 (no authority)
               · a6 单建 but not 三有 (3 employees)
area B (崇义): b1 空白 · b2 空白 (inactive instructor) · b3 空白 (only a 功能型党委)
               · b4 单建 (and an instructor) · b5+b6 联建 (and an instructor on b5)
三有 totals: district 11 = 2 单建 + 4 联建 + 1 工作覆盖 + 4 空白.
"""
from dataclasses import dataclass

import pytest

from sanxin.party.models import PartyOrganization
from tests.factories import OrganizationFactory
from tests.party.builders import instructor, party_org


@dataclass
class World:
    orgs: dict
    branches: dict[str, PartyOrganization]


@pytest.fixture
def world(district) -> World:
    d = district
    orgs = {"a1": d.a1, "a2": d.a2, "b1": d.b1}
    for key, area, extra in [
        ("a3", d.area_a, {}), ("a4", d.area_a, {}), ("a5", d.area_a, {"authority": None}),
        ("a6", d.area_a, {"employees": 3}),
        ("b2", d.area_b, {}), ("b3", d.area_b, {}), ("b4", d.area_b, {}), ("b5", d.area_b, {}),
        ("b6", d.area_b, {}),
    ]:
        extra.setdefault("authority", d.dept_x)
        orgs[key] = OrganizationFactory(name=f"测试单位{key}", area=area, **extra)
    branches = {
        "a1": party_org("甲一党支部", d.area_a, [orgs["a1"]]),
        "a34": party_org("甲联合党支部", d.area_a, [orgs["a3"], orgs["a4"]], kind="joint_branch"),
        "a6": party_org("甲六党支部", d.area_a, [orgs["a6"]]),
        "b3": party_org("产业链联合党委", d.area_b, [orgs["b3"]], kind="functional_committee"),
        "b4": party_org("乙四党支部", d.area_b, [orgs["b4"]]),
        "b56": party_org("乙联合党支部", d.area_b, [orgs["b5"], orgs["b6"]], kind="joint_branch"),
    }
    instructor(d.area_a, [orgs["a5"]], name="指导员甲")
    instructor(d.area_b, [orgs["b2"]], name="停用指导员", active=False)
    instructor(d.area_b, [orgs["b4"], orgs["b5"]], name="指导员乙")
    return World(orgs=orgs, branches=branches)
