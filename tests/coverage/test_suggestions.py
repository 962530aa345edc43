"""Joint-branch suggestions always obey the rules (property-based), and accepting one creates
the branch with its coverage."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxin.coverage.engine import Status, with_status
from sanxin.coverage.suggestions import Candidate, group_candidates, obeys_rules, suggestions_for
from sanxin.party.models import Member, MemberStatus, PartyOrganization
from sanxin.registry.models import Organization
from tests.factories import OrganizationFactory, user_with_role
from tests.party.builders import members, party_org


@st.composite
def candidate_lists(draw):
    n = draw(st.integers(min_value=0, max_value=40))
    result = []
    for i in range(n):
        full = draw(st.integers(min_value=0, max_value=2))
        coords = draw(st.one_of(st.none(), st.tuples(st.floats(29.2, 30.2), st.floats(106.8, 107.9))))
        result.append(Candidate(
            id=i + 1, name=f"单位{i}", area_id=draw(st.integers(1, 3)), area_name="区",
            industry=draw(st.sampled_from("CFGH")), latitude=coords[0] if coords else None,
            longitude=coords[1] if coords else None, full_members=full,
            members=full + draw(st.integers(min_value=0 if full else 1, max_value=3))))
    return result


@settings(max_examples=120, deadline=None)
@given(candidate_lists())
def test_suggestions_always_obey_the_rules(candidates):
    suggestions = group_candidates(candidates)
    assert all(obeys_rules(s) for s in suggestions)
    used = [u.id for s in suggestions for u in s.units]
    assert len(used) == len(set(used))  # a unit is in one suggestion at most
    assert set(used) <= {c.id for c in candidates}


@settings(max_examples=60, deadline=None)
@given(candidate_lists())
def test_an_area_with_enough_members_gets_a_suggestion(candidates):
    """If one area's 1-or-2-full-member units hold 3+ full members within any 5 of them, the
    grouping finds at least one branch there."""
    suggestions = group_candidates(candidates)
    for area in {c.area_id for c in candidates}:
        fulls = sorted((c.full_members for c in candidates if c.area_id == area), reverse=True)
        if sum(fulls[:5]) >= 3:
            assert any(s.area_id == area for s in suggestions)


def test_obeys_rules_rejects_what_the_rules_forbid():
    def cand(i, area=1, full=1):
        return Candidate(i, f"u{i}", area, "区", "C", None, None, full, full)

    from sanxin.coverage.suggestions import Suggestion

    assert obeys_rules(Suggestion([cand(1), cand(2), cand(3)]))
    assert not obeys_rules(Suggestion([cand(1), cand(2)]))                        # 2 full members
    assert not obeys_rules(Suggestion([cand(i) for i in range(1, 7)]))             # 6 units
    assert not obeys_rules(Suggestion([cand(1), cand(2), cand(3, area=2)]))        # two areas
    assert not obeys_rules(Suggestion([cand(1, full=3), cand(2)]))                 # needs own branch


@pytest.fixture
def small_units(district):
    """Three uncovered units in area A with 1, 1 and 2 full members; a host branch holds them."""
    host = party_org("街道综合党委", district.area_a, [], kind="committee")
    units = [OrganizationFactory(name=f"小微{i}", area=district.area_a, industry="F",
                                 latitude=29.70 + i / 1000, longitude=107.39) for i in range(3)]
    for unit, n in zip(units, (1, 1, 2), strict=True):
        members(host, n, employer=unit)
    members(host, 1, employer=units[0], status=MemberStatus.PROBATIONARY)
    return units


@pytest.mark.django_db
def test_suggestion_then_accept_creates_the_covering_branch(small_units, district, client_for):
    suggestions = suggestions_for(district.district)
    assert len(suggestions) == 1
    s = suggestions[0]
    assert {u.id for u in s.units} == {u.pk for u in small_units} and s.full_members == 4
    assert "F" in s.reason
    client = client_for(district.area_user)
    response = client.post("/coverage/suggestions/accept/", {"units": s.key, "name": "小微联合党支部"})
    assert response.status_code == 302
    branch = PartyOrganization.objects.get(name="小微联合党支部")
    assert branch.kind == "joint_branch" and branch.unit_count == 3 and branch.area == district.area_a
    statuses = set(with_status(Organization.objects.filter(pk__in=[u.pk for u in small_units]))
                   .values_list("coverage_status", flat=True))
    assert statuses == {Status.JOINT}
    assert Member.objects.filter(party_organization=branch).count() == 5
    assert suggestions_for(district.district) == []


@pytest.mark.django_db
def test_accept_is_refused_when_the_grouping_no_longer_holds(small_units, district, client_for):
    key = suggestions_for(district.district)[0].key
    party_org("小微0党支部", district.area_a, [small_units[0]])  # covered meanwhile
    client = client_for(district.district)
    response = client.post("/coverage/suggestions/accept/", {"units": key}, follow=True)
    assert str(small_units[0].pk) in response.content.decode()
    assert not PartyOrganization.objects.filter(kind="joint_branch").exists()
    # two units alone have only 3 full members? 1 + 2 = 3: allowed; 1 + 1 is not
    response = client.post("/coverage/suggestions/accept/",
                           {"units": f"{small_units[1].pk}-{small_units[1].pk}"}, follow=True)
    assert not PartyOrganization.objects.filter(kind="joint_branch").exists()


@pytest.mark.django_db
def test_accept_outside_scope_or_without_right_is_refused(small_units, district, client_for):
    key = suggestions_for(district.district)[0].key
    assert client_for(district.dept_user).post("/coverage/suggestions/accept/",
                                               {"units": key}).status_code == 403
    other_area = district.area_b
    area_b_user = user_with_role("area_b", "area", area=other_area)
    client_for(area_b_user).post("/coverage/suggestions/accept/", {"units": key})
    assert not PartyOrganization.objects.filter(kind="joint_branch").exists()
    assert client_for(district.district).post("/coverage/suggestions/accept/",
                                              {"units": "x-y"}).status_code == 302
    assert not PartyOrganization.objects.filter(kind="joint_branch").exists()


@pytest.mark.django_db
def test_suggestion_page_lists_only_the_scope(small_units, district, client_for):
    assert len(client_for(district.area_user).get("/coverage/suggestions/").context["suggestions"]) == 1
    assert client_for(district.officer_user).get("/coverage/suggestions/").context["suggestions"] == []
