"""Coverage pages, exports and endpoints: each role sees exactly its scope."""
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

ROLES = ["district", "area", "department", "functional", "organization", "officer"]


def visible_sanyou(world, district, role):
    """The 三有 organizations of the world each role may see (registry scope)."""
    orgs = world.orgs
    sanyou = {k for k in orgs if k != "a6"}
    return {
        "district": sanyou,
        "area": {k for k in sanyou if k.startswith("a")},
        "department": {k for k in sanyou if k not in ("a2", "a5")},
        "functional": set(),
        "organization": {"a1"},
        "officer": {"b1"},
    }[role]


@pytest.mark.parametrize("role", ROLES)
def test_overview_api_and_status_list_follow_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    expected = visible_sanyou(world, district, role)
    page = client.get("/coverage/")
    assert page.status_code == 200
    assert page.context["totals"].total == len(expected)
    api = client.get("/api/coverage/rates", {"group": "area"}).json()
    assert api["totals"]["total"] == len(expected)
    assert sum(g["total"] for g in api["groups"]) == len(expected)
    names = {o.name for o in client.get("/coverage/organizations/").context["page"]}
    assert names == {world.orgs[k].name for k in expected}
    api_names = {r["name"] for r in client.get("/api/coverage/organizations").json()["results"]}
    assert api_names == names


@pytest.mark.parametrize("role", ROLES)
def test_status_export_holds_exactly_the_scope(world, district, client_for, role):
    response = client_for(district.users()[role]).get("/coverage/organizations/export/")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))[2:]
    assert {r[1] for r in rows} == {world.orgs[k].name for k in visible_sanyou(world, district, role)}


def test_blind_spots_and_statuses_in_the_export(world, district, client_for):
    response = client_for(district.district).get("/coverage/organizations/export/", {"status": "blank"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))[2:]
    assert {r[1] for r in rows} == {world.orgs[k].name for k in ("a2", "b1", "b2", "b3")}
    assert {r[-1] for r in rows} == {"空白点"}  # zh-Hans is the default language


def test_drill_down_from_district_to_area_to_organizations(world, district, client_for):
    client = client_for(district.district)
    overview = client.get("/coverage/").content.decode()
    assert 'data-drill="500102006"' in overview
    area_page = client.get("/coverage/", {"area": "500102006", "group": "industry"})
    assert area_page.context["totals"].total == 5
    assert "drill-orgs" in area_page.content.decode()
    orgs = client.get("/coverage/organizations/", {"area": "500102006"}).context["page"]
    assert {o.name for o in orgs} == {world.orgs[k].name for k in ("a1", "a2", "a3", "a4", "a5")}


def test_findings_page_export_and_api_follow_the_scope(world, district, client_for):
    from tests.party.builders import party_org

    party_org("乙区无书记支部", district.area_b, [district.b1])
    client = client_for(district.area_user)
    shown = {f.name for f in client.get("/coverage/findings/").context["page"]}
    assert "乙区无书记支部" not in shown and "甲一党支部" in shown
    api = {f["name"] for f in client.get("/api/coverage/findings").json()}
    assert api == shown
    rows = list(load_workbook(io.BytesIO(b"".join(client.get("/coverage/findings/export/")
                                                  .streaming_content))).active.iter_rows(values_only=True))[2:]
    assert {r[1] for r in rows} == shown
    dept = {f["name"] for f in client_for(district.dept_user).get(
        "/api/coverage/findings", {"kind": "no_secretary"}).json()}
    assert "乙区无书记支部" in dept


def test_bad_grouping_and_kind_are_refused_by_the_api(world, district, client_for):
    client = client_for(district.district)
    assert client.get("/api/coverage/rates", {"group": "shoe_size"}).status_code == 422
    assert client.get("/api/coverage/findings", {"kind": "nope"}).status_code == 422
    # the page falls back to the area grouping instead of failing
    assert client.get("/coverage/", {"group": "nope"}).context["grouping"] == "area"


def test_pages_need_login(client):
    for url in ("/coverage/", "/coverage/findings/", "/coverage/trend/", "/coverage/targets/",
                "/coverage/suggestions/"):
        assert client.get(url).status_code == 302
    assert client.get("/api/coverage/rates").status_code == 401


def test_organization_page_shows_its_coverage(world, district, client_for):
    body = client_for(district.district).get(f"/organizations/{world.orgs['a3'].pk}/").content.decode()
    assert 'data-status="joint"' in body and "甲联合党支部" in body
    body = client_for(district.district).get(f"/organizations/{world.orgs['a5'].pk}/").content.decode()
    assert 'data-status="work"' in body and "指导员甲" in body
    # the organization contact of a1 sees its own branch, never another area's instructors
    body = client_for(district.contact_a1).get(f"/organizations/{district.a1.pk}/").content.decode()
    assert 'data-status="single"' in body and "甲一党支部" in body and "指导员乙" not in body
