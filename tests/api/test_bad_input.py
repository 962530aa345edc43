"""Bad input to the API: a documented code and message naming the field, and nothing changed."""
import json

import pytest
from django.test import override_settings

from sanxin.accounts.models import User
from sanxin.apiclients.models import ApiClient, ApiToken

pytestmark = pytest.mark.django_db
CLIENTS = "/api/apiclients/clients"
GOOD = {"name": "12345 热线", "role_kind": "area", "area_code": "500102006",
        "expires_in_days": 30}


@pytest.fixture
def district_person(district, client_for):
    return client_for(district.district)


def post(client, body, **headers):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(CLIENTS, data=data, content_type="application/json", **headers)


def nothing_created():
    return not ApiClient.objects.exists() and not ApiToken.objects.exists() and not \
        User.objects.filter(username__startswith="api-").exists()


def test_good_input_creates_a_client_whose_token_works(district, district_person):
    response = post(district_person, GOOD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client"]["roles"][0] == {"kind": "area", "area_code": "500102006",
                                          "department_code": None, "organization_id": None,
                                          "sees_personal_data": False}
    from django.test import Client

    machine = Client(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    orgs = machine.get("/api/registry/organizations").json()["results"]
    assert {row["name"] for row in orgs} == {district.a1.name, district.a2.name}


@pytest.mark.parametrize("raw", ['{"name": "x",', "not json", '{"name": "x"}}', b"\xff\xfe"])
def test_malformed_json_is_400_malformed_json(district, district_person, raw):
    response = post(district_person, raw)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert response.json()["message"]
    assert nothing_created()


@pytest.mark.parametrize("field, value", [
    ("expires_in_days", "soon"), ("rate_limit_per_minute", [1]), ("name", 5),
    ("sees_personal_data", "perhaps"), ("area_code", {"code": 1})])
def test_wrong_type_is_422_naming_the_field(district, district_person, field, value):
    response = post(district_person, {**GOOD, field: value})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "wrong_type"
    assert body["field"] == field
    assert nothing_created()


def test_unknown_field_is_422_unknown_field(district, district_person):
    response = post(district_person, {**GOOD, "is_superuser": True})
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_field"
    assert response.json()["field"] == "is_superuser"
    assert nothing_created()


@pytest.mark.parametrize("body, code, field", [
    ({k: v for k, v in GOOD.items() if k != "name"}, "required", "name"),
    ({**GOOD, "expires_in_days": 0}, "out_of_range", "expires_in_days"),
    ({**GOOD, "expires_in_days": 10_000}, "out_of_range", "expires_in_days"),
    ({**GOOD, "name": "x" * 101}, "too_long", "name"),
    ({**GOOD, "role_kind": "emperor"}, "invalid_choice", "role_kind"),
    ({**GOOD, "role_kind": "officer"}, "invalid_choice", "role_kind"),
    ({**GOOD, "area_code": None}, "required", "area_code"),
    ({**GOOD, "area_code": "999"}, "invalid", "area_code"),
    ({**GOOD, "name": "   "}, "required", "name"),
])
def test_invalid_values_are_422_naming_the_field(district, district_person, body, code, field):
    response = post(district_person, body)
    assert response.status_code == 422, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert nothing_created()


def test_several_problems_are_all_listed(district, district_person):
    response = post(district_person, {"role_kind": "area", "bogus": 1, "expires_in_days": "x"})
    fields = {(e["code"], e["field"]) for e in response.json()["errors"]}
    assert {("required", "name"), ("unknown_field", "bogus"),
            ("wrong_type", "expires_in_days")} <= fields


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2_000)
def test_oversized_body_is_413(district, district_person):
    response = post(district_person, {**GOOD, "description": "长" * 3_000})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert "2000" in response.json()["message"]
    assert nothing_created()


def test_duplicate_name_is_409_conflict(district, district_person):
    assert post(district_person, GOOD).status_code == 201
    response = post(district_person, {**GOOD, "area_code": "500102007"})
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("conflict", "name")
    assert ApiClient.objects.count() == 1


@pytest.mark.parametrize("who", ["area", "department", "organization", "officer"])
def test_only_district_people_manage_clients(district, client_for, who):
    response = post(client_for(district.users()[who]), GOOD)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert nothing_created()


def test_a_district_token_cannot_mint_tokens(district, make_token, bearer):
    token = make_token()
    response = post(bearer(token), {**GOOD, "name": "another"})
    assert response.status_code == 403
    assert ApiClient.objects.count() == 1


def test_query_parameters_of_the_wrong_type_are_422(district, make_token, bearer):
    response = bearer(make_token()).get("/api/registry/organizations",
                                        {"page": "first", "page_size": 5000})
    assert response.status_code == 422
    assert {(e["code"], e["field"]) for e in response.json()["errors"]} == {
        ("wrong_type", "page"), ("out_of_range", "page_size")}


def test_path_parameter_of_the_wrong_type_is_422(district, make_token, bearer):
    response = bearer(make_token()).get("/api/registry/organizations/abc")
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("wrong_type", "org_id")


def test_revoking_an_unknown_token_is_404(district, district_person):
    response = district_person.post("/api/apiclients/tokens/999999/revoke")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("language, expected", [("zh-hans", "未知字段"), ("en", "Unknown field")])
def test_messages_follow_accept_language(district, district_person, language, expected):
    response = post(district_person, {**GOOD, "bogus": 1}, HTTP_ACCEPT_LANGUAGE=language)
    assert expected in response.json()["message"]


@pytest.mark.parametrize("query", [{"q": "化工\x00"}, {"area\x00": "1"}])
def test_nul_character_in_a_query_is_422_on_every_database(district, make_token, bearer, query):
    response = bearer(make_token()).get("/api/registry/organizations", query)
    assert response.status_code == 422
    assert response.json()["code"] == "nul_character"
    assert response.json()["field"] == next(iter(query)).replace("\x00", "")


def test_nul_character_in_a_body_is_422_and_nothing_created(district, district_person):
    response = post(district_person, {**GOOD, "description": "热线\u0000"})
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("nul_character", "body")
    assert nothing_created()


@pytest.mark.parametrize("url, field", [
    ("/api/coverage/rates?group=planet", "group"), ("/api/coverage/findings?kind=planet", "kind"),
    ("/api/cases/measures?group=planet", "group"),
])
def test_a_value_outside_a_documented_list_is_invalid_choice(district, make_token, bearer, url,
                                                             field):
    response = bearer(make_token()).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json() | {"errors": None} == {
        "code": "invalid_choice", "message": "Not one of the allowed values.", "field": field,
        "errors": None}


@pytest.mark.parametrize("url, field", [
    ("/api/partylife/meetings?year=99999", "year"), ("/api/chains/deals?chain=0", "chain"),
    ("/api/service/visits?officer=99999999999999999999", "officer"),
    ("/api/cases/measures?end=9999-12-31", "end"),
])
def test_query_parameters_out_of_their_bounds_are_422(district, make_token, bearer, url, field):
    response = bearer(make_token()).get(url)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("out_of_range", field)
