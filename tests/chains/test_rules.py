"""Bad input to chains and matchmaking: a clear message naming the field, nothing saved."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanxin.chains import services
from sanxin.chains.models import Chain, ChainMember, Deal, Post
from sanxin.party.models import PartyOrganization

pytestmark = pytest.mark.django_db


def test_an_enterprise_at_a_link_twice_is_refused(district, chains):
    link = chains.chain1.links.get(position=1)
    before = ChainMember.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.chain_member_add(actor=district.district, chain=chains.chain1, link=link,
                                  organization=district.a1)
    assert "already a member" in str(exc.value.message_dict["organization"])
    # the same enterprise at another link of the chain is fine
    services.chain_member_add(actor=district.district, chain=chains.chain1,
                              link=chains.chain1.links.get(position=2), organization=district.a1)
    assert ChainMember.objects.count() == before + 1


def test_member_twice_through_form_and_api(district, chains, client_for):
    client = client_for(district.district)
    link = chains.chain1.links.get(position=1)
    before = ChainMember.objects.count()
    response = client.post(f"/chains/{chains.chain1.pk}/members/", {
        "member-link": link.pk, "member-organization": district.a1.pk})
    assert response.status_code == 400
    assert "already a member" in str(response.context["member_form"].errors["organization"])
    response = client.post(f"/api/chains/chains/{chains.chain1.pk}/members",
                           {"link_id": link.pk, "organization_id": district.a1.pk},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "organization"
    # a link of another chain
    other = chains.chain2.links.first()
    response = client.post(f"/api/chains/chains/{chains.chain1.pk}/members",
                           {"link_id": other.pk, "organization_id": district.a2.pk},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "link_id"
    assert ChainMember.objects.count() == before


def test_branch_must_cover_the_member_and_becomes_a_committee_member(district, chains,
                                                                      client_for):
    branch = PartyOrganization.objects.create(name="甲二党支部", kind="branch",
                                              area=district.area_a)
    link = chains.chain1.links.get(position=2)
    with pytest.raises(ValidationError) as exc:
        services.chain_member_add(actor=district.district, chain=chains.chain1, link=link,
                                  organization=district.a2, branch=branch)
    assert "branch" in exc.value.message_dict
    branch.units.add(district.a2)
    services.chain_member_add(actor=district.district, chain=chains.chain1, link=link,
                              organization=district.a2, branch=branch)
    body = client_for(district.district).get(f"/api/chains/chains/{chains.chain1.pk}").json()
    assert body["committee_branches"] == [{"id": branch.pk, "name": "甲二党支部"}]
    assert body["committee_name"] == "链一联合党委"


def test_committee_must_be_a_functional_committee(district):
    branch = PartyOrganization.objects.create(name="某党支部", kind="branch", area=district.root)
    with pytest.raises(ValidationError) as exc:
        services.chain_create(actor=district.district, name="新链", committee=branch)
    assert "committee" in exc.value.message_dict
    assert not Chain.objects.filter(name="新链").exists()


def post_fields(member, **overrides):
    fields = {"member": member, "kind": "supply", "category": "己二酸",
              "quantity": Decimal("10"), "starts_on": date(2024, 1, 1),
              "ends_on": date(2024, 2, 1)}
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"quantity": Decimal("-1")}, "quantity", "cannot be negative"),
    ({"quantity": Decimal("0")}, "quantity", "above zero"),
    ({"ends_on": date(2023, 12, 31)}, "ends_on", "end before it starts"),
    ({"category": "  "}, "category", "category"),
    ({"kind": "gift"}, "kind", "supply or need"),
])
def test_bad_posts_are_refused(district, chains, overrides, field, words):
    member = chains.s1.member
    before = Post.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.post_create(actor=district.district, **post_fields(member, **overrides))
    assert words in str(exc.value.message_dict[field])
    assert Post.objects.count() == before


def test_bad_posts_through_form_and_api(district, chains, client_for):
    client = client_for(district.contact_a1)
    member = chains.s1.member
    before = Post.objects.count()
    response = client.post(f"/chains/{chains.chain1.pk}/posts/new/", {
        "member": member.pk, "kind": "supply", "offer": "product", "category": "己二酸",
        "quantity": "-5", "starts_on": "2024-01-01", "ends_on": "2024-02-01"})
    assert response.status_code == 400
    assert "negative" in str(response.context["form"].errors["quantity"])
    body = {"member_id": member.pk, "kind": "need", "category": "己二酸", "quantity": "5",
            "starts_on": "2024-03-01", "ends_on": "2024-02-01"}
    response = client.post("/api/chains/posts", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "ends_on"
    body.update(quantity="-1", ends_on="2024-04-01")
    response = client.post("/api/chains/posts", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "quantity"
    assert Post.objects.count() == before
    body.update(quantity="5")
    response = client.post("/api/chains/posts", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["organization_id"] == district.a1.pk


def test_organization_cannot_post_for_another_member(district, chains, client_for):
    response = client_for(district.contact_a1).post("/api/chains/posts", {
        "member_id": chains.n1.member_id, "kind": "need", "category": "x", "quantity": "1",
        "starts_on": "2024-01-01", "ends_on": "2024-02-01"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "member_id"


def test_deal_rules(district, chains, client_for):
    client = client_for(district.contact_a1)
    url = "/api/chains/deals"
    body = {"supply_id": chains.s1.pk, "need_id": chains.n1.pk, "quantity": "500",
            "agreed_on": "2024-03-01"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "quantity"
    body.update(quantity="-1")
    assert client.post(url, body, content_type="application/json").json()["field"] == "quantity"
    # posts of another chain
    body.update(quantity="10", need_id=chains.n2.pk)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "need"
    assert Deal.objects.count() == 0
    body.update(need_id=chains.n1.pk)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["supplier"] == district.a1.name
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422 and "already recorded" in response.json()["message"]
    assert Deal.objects.count() == 1


def test_deal_needs_one_side_in_the_callers_scope(district, chains, client_for):
    # a2's contact is no side of chain1's posts
    from tests.factories import user_with_role

    stranger = user_with_role("contact_a2", "organization", organization=district.a2)
    response = client_for(stranger).post("/api/chains/deals", {
        "supply_id": chains.s1.pk, "need_id": chains.n1.pk, "quantity": "1",
        "agreed_on": "2024-03-01"}, content_type="application/json")
    assert response.status_code == 422
    assert Deal.objects.count() == 0


def test_deal_recorded_from_the_post_page(district, chains, client_for):
    client = client_for(district.contact_a1)
    page = client.get(f"/chains/posts/{chains.s1.pk}/")
    assert [p.post for p in page.context["proposals"]] == [chains.n1]
    response = client.post(f"/chains/posts/{chains.s1.pk}/deals/", {
        "counterpart": chains.n1.pk, "quantity": "1000", "agreed_on": "2024-03-01"})
    assert response.status_code == 400
    assert "more than" in str(response.context["deal_form"].errors["quantity"])
    response = client.post(f"/chains/posts/{chains.s1.pk}/deals/", {
        "counterpart": chains.n1.pk, "quantity": "40", "agreed_on": "2024-03-01"})
    assert response.status_code == 302
    assert Deal.objects.get().quantity == Decimal("40")


def test_link_rules(district, chains):
    with pytest.raises(ValidationError) as exc:
        services.chain_link_add(actor=district.district, chain=chains.chain1, stage="upstream",
                                name="原料")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.chain_link_add(actor=district.district, chain=chains.chain1, stage="sideways",
                                name="新步骤", position=1)
    assert set(exc.value.message_dict) == {"stage", "position"}
    link = services.chain_link_add(actor=district.district, chain=chains.chain1,
                                   stage="downstream", name="销售")
    assert link.position == 3
