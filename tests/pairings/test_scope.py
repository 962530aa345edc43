"""Every page and endpoint of pairings, brands and cases shows exactly the actor's scope."""
import pytest

pytestmark = pytest.mark.django_db

PAIRINGS = {
    "district": {"p1", "p2", "p3"},
    "area": {"p1", "p3"},          # a1 is in A; p3's leading side is in A
    "department": {"p1", "p2", "p3"},
    "functional": set(),
    "organization": {"p1"},
    "officer": {"p2", "p3"},       # the officer serves b1
}
BRANDS = {
    "district": {"a", "b"}, "area": {"a"}, "department": {"a", "b"}, "functional": set(),
    "organization": {"a"}, "officer": {"b"},
}


def _ids(world, keys, prefix=""):
    return {getattr(world, prefix + k).pk for k in keys}


@pytest.mark.parametrize("role", PAIRINGS)
def test_pairing_pages_follow_the_scope(district, world, client_for, role):
    client = client_for(district.users()[role])
    response = client.get("/pairings/")
    assert response.status_code == 200
    assert {p.pk for p in response.context["page"]} == _ids(world, PAIRINGS[role])
    assert response.context["totals"]["pairings"] == len(PAIRINGS[role])
    for key in ("p1", "p2", "p3"):
        pairing = getattr(world, key)
        detail = client.get(f"/pairings/{pairing.pk}/")
        assert detail.status_code == (200 if key in PAIRINGS[role] else 404)
        if key not in PAIRINGS[role]:
            assert pairing.leader_name not in detail.content.decode()
    areas = client.get("/pairings/areas/")
    assert sum(r["pairings"] for r in areas.context["rows"]) == len(PAIRINGS[role])


@pytest.mark.parametrize("role", PAIRINGS)
def test_pairing_api_follows_the_scope(district, world, client_for, role):
    client = client_for(district.users()[role])
    body = client.get("/api/pairings/pairings").json()
    assert {r["id"] for r in body["results"]} == _ids(world, PAIRINGS[role])
    assert body["count"] == len(PAIRINGS[role])
    for key in ("p1", "p2", "p3"):
        response = client.get(f"/api/pairings/pairings/{getattr(world, key).pk}")
        assert response.status_code == (200 if key in PAIRINGS[role] else 404)
    counts = client.get("/api/pairings/pairings/counts").json()
    assert sum(r["pairings"] for r in counts) == len(PAIRINGS[role])


@pytest.mark.parametrize("role", BRANDS)
def test_brand_and_case_pages_follow_the_scope(district, world, client_for, role):
    client = client_for(district.users()[role])
    shown = {b.pk for b in client.get("/brands/").context["brands"]}
    assert shown == _ids(world, BRANDS[role], "brand_")
    library = client.get("/brands/cases/")
    assert {c.pk for c in library.context["page"]} == _ids(world, BRANDS[role], "case_")
    for key in ("a", "b"):
        expected = 200 if key in BRANDS[role] else 404
        assert client.get(f"/brands/{getattr(world, 'brand_' + key).pk}/").status_code == expected
        assert client.get(f"/brands/cases/{getattr(world, 'case_' + key).pk}/").status_code == \
            expected


@pytest.mark.parametrize("role", BRANDS)
def test_brand_and_case_api_follow_the_scope(district, world, client_for, role):
    client = client_for(district.users()[role])
    brands = client.get("/api/pairings/brands").json()
    assert {r["id"] for r in brands["results"]} == _ids(world, BRANDS[role], "brand_")
    cases = client.get("/api/pairings/cases").json()
    assert {r["id"] for r in cases["results"]} == _ids(world, BRANDS[role], "case_")
    for key in ("a", "b"):
        expected = 200 if key in BRANDS[role] else 404
        assert client.get(f"/api/pairings/brands/{getattr(world, 'brand_' + key).pk}"
                          ).status_code == expected
        assert client.get(f"/api/pairings/cases/{getattr(world, 'case_' + key).pk}"
                          ).status_code == expected


def test_search_cannot_reach_outside_the_scope(district, world, client_for):
    client = client_for(district.area_user)
    assert list(client.get("/pairings/", {"q": "新民"}).context["page"]) == []
    assert list(client.get("/brands/cases/", {"q": "匠心"}).context["page"]) == []
    body = client.get("/api/pairings/cases", {"q": "匠心"}).json()
    assert body["count"] == 0


def test_anonymous_is_refused(world, client):
    assert client.get("/pairings/").status_code == 302
    assert client.get("/brands/cases/").status_code == 302
    assert client.get("/api/pairings/pairings").status_code == 401
    assert client.get("/api/pairings/brands").status_code == 401


def test_writes_refused_to_roles_without_the_right(district, world, client_for):
    client = client_for(district.contact_a1)
    assert client.get("/pairings/new/").status_code == 403
    response = client.post("/api/pairings/pairings", {
        "leader_kind": "organ", "leader_name": "某机关党支部", "leader_area_code": "500102",
        "organization_id": district.a1.pk, "started_on": "2024-01-01"},
        content_type="application/json")
    assert response.status_code == 403


def test_area_user_cannot_pair_an_organization_outside_the_area(district, world, client_for):
    from sanxin.pairings.models import Pairing

    before = Pairing.objects.count()
    response = client_for(district.area_user).post("/api/pairings/pairings", {
        "leader_kind": "village", "leader_name": "敦仁街道某社区党支部",
        "leader_area_code": "500102006", "organization_id": district.b1.pk,
        "started_on": "2024-01-01"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "organization_id"
    assert Pairing.objects.count() == before
