"""A township user, a department user, an enterprise contact and an officer each see exactly
their part: list, detail, search, export and API."""
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

EXPECTED = {
    "district": {"a1", "a2", "b1"},
    "area": {"a1", "a2"},
    "department": {"a1", "b1"},
    "functional": set(),
    "organization": {"a1"},
    "officer": {"b1"},
}


def names(district, keys):
    return {getattr(district, k).name for k in keys}


@pytest.mark.parametrize("role", EXPECTED)
def test_list_shows_exactly_the_scope(district, client_for, role):
    client = client_for(district.users()[role])
    response = client.get("/organizations/")
    assert response.status_code == 200
    shown = {o.name for o in response.context["page"]}
    assert shown == names(district, EXPECTED[role])


@pytest.mark.parametrize("role", EXPECTED)
def test_detail_is_404_outside_the_scope(district, client_for, role):
    client = client_for(district.users()[role])
    for key in ("a1", "a2", "b1"):
        response = client.get(f"/organizations/{getattr(district, key).pk}/")
        if key in EXPECTED[role]:
            assert response.status_code == 200
            assert getattr(district, key).name in response.content.decode()
        else:
            assert response.status_code == 404
            assert getattr(district, key).name not in response.content.decode()


@pytest.mark.parametrize("role", EXPECTED)
def test_search_never_reaches_outside(district, client_for, role):
    client = client_for(district.users()[role])
    response = client.get("/organizations/", {"q": "乙一"})
    shown = {o.name for o in response.context["page"]}
    assert shown == ({district.b1.name} & names(district, EXPECTED[role]))
    code_fragment = district.a2.credit_code[5:12]
    response = client.get("/organizations/", {"q": code_fragment})
    shown = {o.name for o in response.context["page"]}
    assert shown <= names(district, EXPECTED[role])
    assert (district.a2.name in shown) == ("a2" in EXPECTED[role])


@pytest.mark.parametrize("role", EXPECTED)
def test_xlsx_export_holds_exactly_the_scope(district, client_for, role):
    client = client_for(district.users()[role])
    response = client.get("/organizations/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    exported = {r[1] for r in rows[3:]}
    assert exported == names(district, EXPECTED[role])


@pytest.mark.parametrize("role", EXPECTED)
def test_csv_export_holds_exactly_the_scope(district, client_for, role):
    client = client_for(district.users()[role])
    response = client.get("/organizations/export/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()[1:]
    assert {line.split(",")[1] for line in lines} == names(district, EXPECTED[role])


def test_export_masks_phones_unless_role_needs_them(district, client_for):
    text = b"".join(client_for(district.area_user).get(
        "/organizations/export/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "138****5678" in text and "13812345678" not in text
    text = b"".join(client_for(district.district).get(
        "/organizations/export/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "13812345678" in text


@pytest.mark.parametrize("role", EXPECTED)
def test_api_list_and_detail_follow_the_scope(district, client_for, role):
    client = client_for(district.users()[role])
    body = client.get("/api/registry/organizations").json()
    assert {r["name"] for r in body["results"]} == names(district, EXPECTED[role])
    assert body["count"] == len(EXPECTED[role])
    for key in ("a1", "a2", "b1"):
        response = client.get(f"/api/registry/organizations/{getattr(district, key).pk}")
        assert response.status_code == (200 if key in EXPECTED[role] else 404)


def test_anonymous_is_sent_to_login_and_api_refuses(district, client):
    assert client.get("/organizations/").status_code == 302
    assert client.get(f"/organizations/{district.a1.pk}/").status_code == 302
    assert client.get("/api/registry/organizations").status_code == 401


def test_filters_combine(district, client_for):
    client = client_for(district.district)
    page = client.get("/organizations/", {"area": "500102006", "industry": "F"}).context["page"]
    assert [o.name for o in page] == [district.a2.name]
    page = client.get("/organizations/", {"area": "999999999"}).context["page"]
    assert list(page) == []


def test_api_refuses_a_page_number_beyond_any_offset(district, client_for):
    client = client_for(district.district)
    response = client.get("/api/registry/organizations", {"page": 10**30})
    assert response.status_code == 422
    assert client.get("/api/registry/organizations", {"page": 1_000_000}).json()["results"] == []
