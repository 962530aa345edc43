"""Every chain page and endpoint shows exactly the actor's scope."""
import pytest

from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

CHAINS = {  # chain1: a1, b1; chain2: b1, a2 (committee in B)
    "district": {"chain1", "chain2"}, "area": {"chain1", "chain2"},
    "department": {"chain1", "chain2"}, "functional": set(), "organization": {"chain1"},
    "officer": {"chain1", "chain2"},
}
POSTS = {  # s1 a1, n1 b1 (chain1); s2 b1, n2 a2 (chain2)
    "district": {"s1", "n1", "s2", "n2"}, "area": {"s1", "n2"},
    "department": {"s1", "n1", "s2"},  # a2's authority is dept Y
    "functional": set(), "organization": {"s1"}, "officer": {"n1", "s2"},
}


def ids(world, keys):
    return {getattr(world, k).pk for k in keys}


@pytest.mark.parametrize("role", CHAINS)
def test_chain_pages_follow_the_scope(district, chains, client_for, role):
    client = client_for(district.users()[role])
    listed = {c.pk for c in client.get("/chains/").context["chains"]}
    assert listed == ids(chains, CHAINS[role])
    for key in ("chain1", "chain2"):
        chain = getattr(chains, key)
        expected = 200 if key in CHAINS[role] else 404
        assert client.get(f"/chains/{chain.pk}/").status_code == expected
        market = client.get(f"/chains/{chain.pk}/market/")
        assert market.status_code == expected
        if expected == 200:
            shown = {p.pk for p in market.context["supply"] + market.context["needs"]}
            assert shown == ids(chains, POSTS[role]) & set(chain.posts.values_list("pk", flat=True))


@pytest.mark.parametrize("role", CHAINS)
def test_chain_api_follows_the_scope(district, chains, client_for, role):
    client = client_for(district.users()[role])
    assert {c["id"] for c in client.get("/api/chains/chains").json()} == ids(chains, CHAINS[role])
    for key in ("chain1", "chain2"):
        chain = getattr(chains, key)
        expected = 200 if key in CHAINS[role] else 404
        assert client.get(f"/api/chains/chains/{chain.pk}").status_code == expected
        assert client.get(f"/api/chains/chains/{chain.pk}/market").status_code == expected


@pytest.mark.parametrize("role", POSTS)
def test_posts_follow_the_scope(district, chains, client_for, role):
    client = client_for(district.users()[role])
    body = client.get("/api/chains/posts").json()
    assert {p["id"] for p in body["results"]} == ids(chains, POSTS[role])
    for key in ("s1", "n1", "s2", "n2"):
        post = getattr(chains, key)
        expected = 200 if key in POSTS[role] else 404
        assert client.get(f"/api/chains/posts/{post.pk}").status_code == expected
        assert client.get(f"/api/chains/posts/{post.pk}/proposals").status_code == expected
        assert client.get(f"/chains/posts/{post.pk}/").status_code == expected


def test_deals_follow_the_scope(district, chains, client_for):
    from datetime import date

    from sanxin.chains.services import deal_record

    deal = deal_record(actor=district.district, supply=chains.s2, need=chains.n2, quantity=5,
                       agreed_on=date(2024, 1, 5))
    seen = {role: {d["id"] for d in client_for(user).get("/api/chains/deals").json()["results"]}
            for role, user in district.users().items()}
    assert seen == {"district": {deal.pk}, "area": {deal.pk}, "department": {deal.pk},
                    "functional": set(), "organization": set(), "officer": {deal.pk}}


def test_the_committee_area_sees_its_whole_chain(district, chains, client_for):
    """Area B hosts chain2's committee: it sees a2's need although a2 is in area A."""
    area_b = user_with_role("area_b", "area", area=district.area_b)
    client = client_for(area_b)
    body = client.get("/api/chains/posts", {"chain": chains.chain2.pk}).json()
    assert {p["id"] for p in body["results"]} == {chains.s2.pk, chains.n2.pk}
    # chain1's committee sits at the district root: area B sees only its own b1's post there
    body = client.get("/api/chains/posts", {"chain": chains.chain1.pk}).json()
    assert {p["id"] for p in body["results"]} == {chains.n1.pk}


def test_problems_follow_the_chain(district, chains, client_for):
    from datetime import date

    from sanxin.chains.services import chain_problem_raise

    problem = chain_problem_raise(actor=district.district, chain=chains.chain2, title="道路维护",
                                  raised_on=date(2024, 5, 1))
    page = client_for(district.contact_a1).get(f"/chains/{chains.chain1.pk}/")
    assert problem not in page.context["problems"]
    response = client_for(district.contact_a1).post(
        f"/api/chains/chains/{chains.chain2.pk}/problems",
        {"title": "x", "raised_on": "2024-05-01"}, content_type="application/json")
    assert response.status_code == 404


def test_only_the_district_sets_up_chains(district, chains, client_for):
    response = client_for(district.area_user).post(
        "/api/chains/chains", {"name": "新链"}, content_type="application/json")
    assert response.status_code == 403
    response = client_for(district.district).post(
        "/api/chains/chains", {"name": "新链", "committee_id": chains.committee1.pk},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "committee"
    response = client_for(district.district).post(
        "/api/chains/chains", {"name": "新链"}, content_type="application/json")
    assert response.status_code == 201


def test_anonymous_is_refused(chains, client):
    assert client.get("/chains/").status_code == 302
    assert client.get("/api/chains/chains").status_code == 401
    assert client.get("/api/chains/posts").status_code == 401


def test_organization_page_shows_its_chains_and_pairings(district, chains, client_for):
    from datetime import date

    from sanxin.pairings.models import Pairing

    Pairing.objects.create(leader_kind="organ", leader_name="区工商联机关党支部",
                           leader_area=district.root, organization=district.b1,
                           started_on=date(2024, 1, 1))
    page = client_for(district.district).get(f"/organizations/{district.b1.pk}/")
    html = page.content.decode()
    assert 'id="org-chains"' in html and "化工新材料" in html and "页岩气" in html
    assert 'id="org-pairings"' in html and "区工商联机关党支部" in html
    # a1's contact cannot open b1's page at all; on its own page chain2 (not its chain) is absent
    html = client_for(district.contact_a1).get(f"/organizations/{district.a1.pk}/").content.decode()
    assert "化工新材料" in html and "页岩气" not in html and 'id="org-pairings"' not in html
