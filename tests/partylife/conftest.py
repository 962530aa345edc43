"""Party organizations and members on top of the shared hand-built district.

branch_a1 (党支部, area A, covers a1): 8 full members → 支委会 and 党小组会 are required too
joint_a2  (联合党支部, area A, covers a2): 3 members
branch_b1 (党支部, area B, covers b1): 4 members
Scope: district all; area_a → branch_a1, joint_a2; contact_a1 → branch_a1; departments and the
officer see no party life.
"""
from dataclasses import dataclass

import pytest

from sanxin.party.models import Member, PartyOrganization


@dataclass
class PartyWorld:
    branch_a1: PartyOrganization
    joint_a2: PartyOrganization
    branch_b1: PartyOrganization
    a1_members: list[Member]
    a2_members: list[Member]
    b1_members: list[Member]


def make_branch(name, kind, area, units, n_members, status="full"):
    org = PartyOrganization.objects.create(name=name, kind=kind, area=area)
    org.units.set(units)
    members = [Member.objects.create(name=f"{name[:2]}党员{i}", status=status,
                                     party_organization=org, employer=units[0])
               for i in range(n_members)]
    return org, members


@pytest.fixture
def party(district) -> PartyWorld:
    branch_a1, a1_members = make_branch("甲一化工党支部", "branch", district.area_a, [district.a1], 8)
    joint_a2, a2_members = make_branch("甲二商贸联合党支部", "joint_branch", district.area_a,
                                       [district.a2], 3)
    branch_b1, b1_members = make_branch("乙一机械党支部", "branch", district.area_b, [district.b1], 4)
    return PartyWorld(branch_a1, joint_a2, branch_b1, a1_members, a2_members, b1_members)


# Which branches each role of the district fixture sees.
VISIBLE = {
    "district": {"branch_a1", "joint_a2", "branch_b1"},
    "area": {"branch_a1", "joint_a2"},
    "department": set(),
    "functional": set(),
    "organization": {"branch_a1"},
    "officer": set(),
}


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in the English source; one test checks the Chinese catalogue."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
