"""Bad input: a clear message naming the field, nothing saved."""
from datetime import date

import pytest

from sanxin.party.models import Member, PartyOrganization
from tests.factories import OrganizationFactory
from tests.party.builders import id_number

pytestmark = pytest.mark.django_db


def post_party_org(client, **data):
    base = {"name": "新支部", "kind": "branch", "area": "500102006", "committee_size": "0"}
    return client.post("/party/organizations/new/", {**base, **data})


def test_creates_a_branch_with_its_unit_and_default_term(district, client_for):
    client = client_for(district.district)
    response = post_party_org(client, units=district.a1.credit_code, term_start="2025-03-01")
    assert response.status_code == 302
    po = PartyOrganization.objects.get(name="新支部")
    assert list(po.units.all()) == [district.a1] and po.unit_count == 1
    assert po.term_end == date(2028, 3, 1)


def test_joint_branch_over_five_units_is_refused(district, client_for):
    units = [OrganizationFactory(area=district.area_a) for _ in range(6)]
    client = client_for(district.district)
    response = post_party_org(client, kind="joint_branch",
                              units="\n".join(u.credit_code for u in units))
    assert response.status_code == 200
    assert "units" in response.context["form"].errors
    assert "5" in response.context["form"].errors["units"][0]
    assert not PartyOrganization.objects.exists()
    response = post_party_org(client, kind="joint_branch",
                              units="\n".join(u.credit_code for u in units[:5]))
    assert response.status_code == 302
    assert PartyOrganization.objects.get().unit_count == 5


def test_term_ending_before_it_starts_is_refused(district, client_for):
    response = post_party_org(client_for(district.district), term_start="2025-03-01",
                              term_end="2025-02-01")
    assert "term_end" in response.context["form"].errors
    assert not PartyOrganization.objects.exists()


def test_village_or_community_term_is_five_years(district, client_for):
    client = client_for(district.district)
    response = post_party_org(client, term_start="2025-03-01", village_or_community="on")
    assert response.status_code == 302
    assert PartyOrganization.objects.get(name="新支部").term_end == date(2030, 3, 1)


@pytest.mark.parametrize(("village", "end", "ok"), [
    ("", "2028-03-01", True), ("", "2028-03-02", False),          # 3 years: the last day is allowed
    ("on", "2030-03-01", True), ("on", "2030-03-02", False),      # 村/社区: 5 years
])
def test_term_longer_than_the_rule_is_refused(district, client_for, village, end, ok):
    response = post_party_org(client_for(district.district), term_start="2025-03-01", term_end=end,
                              village_or_community=village)
    if ok:
        assert response.status_code == 302
        assert PartyOrganization.objects.get().term_end == date.fromisoformat(end)
    else:
        errors = response.context["form"].errors
        assert list(errors) == ["term_end"]
        assert ("5" if village else "3") in errors["term_end"][0]
        assert not PartyOrganization.objects.exists()


def test_committee_size_and_unknown_unit_are_refused(district, client_for):
    client = client_for(district.district)
    response = post_party_org(client, committee_size="2", units="91500102XXXXXXXXXX")
    errors = response.context["form"].errors
    assert "committee_size" in errors and "units" in errors
    assert "91500102XXXXXXXXXX" in errors["units"][0]
    assert not PartyOrganization.objects.exists()


def test_units_outside_the_scope_are_unknown(district, client_for):
    response = post_party_org(client_for(district.area_user), units=district.b1.credit_code)
    assert "units" in response.context["form"].errors
    assert not PartyOrganization.objects.exists()


def post_member(client, po, **data):
    base = {"name": "李明", "status": "full", "party_organization": po.pk, "role": "member"}
    return client.post("/party/members/new/", {**base, **data})


def test_member_with_valid_id_gets_birth_date_and_gender(branches, district, client_for):
    number = id_number(date(1988, 7, 9), seq=123)
    response = post_member(client_for(district.district), branches["a"], id_number=number,
                           employer_ref=district.a1.credit_code, phone="13700001111")
    assert response.status_code == 302
    member = Member.objects.get(name="李明")
    assert member.birth_date == date(1988, 7, 9) and member.gender == "M"
    assert member.employer == district.a1 and member.id_digest


@pytest.mark.parametrize("bad", ["50010219880709123", "500102198807091230", "5001021988134512X3",
                                 "513501196507091233"])
def test_invalid_id_number_is_refused(branches, district, client_for, bad):
    response = post_member(client_for(district.district), branches["a"], id_number=bad)
    assert "id_number" in response.context["form"].errors
    assert not Member.objects.filter(name="李明").exists()


def test_member_in_two_branches_is_refused(branches, district, client_for):
    response = post_member(client_for(district.district), branches["b"],
                           id_number=branches["ma"].id_number.lower())
    errors = response.context["form"].errors
    assert "id_number" in errors and branches["a"].name in errors["id_number"][0]
    assert Member.objects.count() == 2


def test_full_date_before_admission_is_refused(branches, district, client_for):
    response = post_member(client_for(district.district), branches["a"], joined_on="2024-05-01",
                           full_on="2024-01-01")
    assert "full_on" in response.context["form"].errors
    assert not Member.objects.filter(name="李明").exists()


def test_mismatching_birth_date_is_refused(branches, district, client_for):
    response = post_member(client_for(district.district), branches["a"],
                           id_number=id_number(date(1988, 7, 9)), birth_date="1990-01-01")
    assert "birth_date" in response.context["form"].errors


def test_only_party_offices_edit(branches, district, client_for):
    for user in (district.dept_user, district.contact_a1, district.officer_user):
        client = client_for(user)
        assert client.get("/party/organizations/new/").status_code == 403
        assert post_member(client, branches["a"]).status_code == 403
    assert Member.objects.count() == 2


def test_instructor_assignments_follow_the_form(district, client_for):
    client = client_for(district.district)
    response = client.post("/party/instructors/new/", {
        "name": "王指导", "kind": "instructor", "area": "500102006", "active": "on",
        "organizations": f"{district.a1.credit_code}\n{district.a2.pk}"})
    assert response.status_code == 302
    from sanxin.party.models import Instructor

    ins = Instructor.objects.get(name="王指导")
    assert set(ins.assignments.filter(ended_on=None).values_list("organization_id", flat=True)) == {
        district.a1.pk, district.a2.pk}
    client.post(f"/party/instructors/{ins.pk}/edit/", {
        "name": "王指导", "kind": "instructor", "area": "500102006", "active": "on",
        "organizations": district.a2.credit_code})
    assert set(ins.assignments.filter(ended_on=None).values_list("organization_id", flat=True)) == {
        district.a2.pk}
    assert ins.assignments.count() == 2  # the ended one is kept as history
