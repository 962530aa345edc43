"""Ordering of every list (docs/api.md, Filtering and ordering) and cursor pages under it: by
documented names only, ties broken by id, NULL last ascending and first descending, and a walk
of cursor pages yields every row exactly once, in the order of the numbered pages."""
import datetime
import math
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from config.api import api
from sanxin.accounts.models import Role
from sanxin.apiclients.services import api_client_create
from sanxin.core.apitools import (
    ApiError,
    PageParams,
    decode_keyset_cursor,
    encode_cursor,
    encode_keyset_cursor,
    paginate,
)
from sanxin.registry.models import Organization
from tests.factories import OrganizationFactory


def walk(client, url: str, params: dict, page_size: int,
         stop_after: int | None = None) -> tuple[list[int], list[dict]]:
    ids: list[int] = []
    answers: list[dict] = []
    cursor = ""
    while cursor is not None:
        response = client.get(url, {**params, "cursor": cursor, "page_size": page_size})
        assert response.status_code == 200, (url, params, response.content[:300])
        answer = response.json()
        answers.append(answer)
        ids += [row["id"] for row in answer["results"]]
        cursor = answer["next_cursor"]
        assert len(answers) < 500
        if stop_after is not None and len(ids) >= stop_after:
            break
    return ids, answers


def numbered(client, url: str, params: dict) -> list[int]:
    ids: list[int] = []
    page = 1
    while True:
        response = client.get(url, {**params, "page": page, "page_size": 200})
        assert response.status_code == 200, (url, params, response.content[:300])
        answer = response.json()
        ids += [row["id"] for row in answer["results"]]
        if len(ids) >= answer["count"] or not answer["results"]:
            return ids
        page += 1


def expected_order(rows: list[Organization], *keys: tuple[str, bool]) -> list[int]:
    """The documented order computed in Python: keys in turn, NULL as the largest value, id
    ascending last (sorts are stable: the last key is sorted first)."""
    ordered = sorted(rows, key=lambda o: o.pk)
    for name, descending in reversed(keys):
        present = sorted((o for o in ordered if getattr(o, name) is not None),
                         key=lambda o: getattr(o, name), reverse=descending)
        nulls = [o for o in ordered if getattr(o, name) is None]
        ordered = nulls + present if descending else present + nulls
    return [o.pk for o in ordered]


@pytest.fixture
def ties_and_nulls(district) -> list[Organization]:
    spec = [("ORDERTEST B", 5), ("ORDERTEST A", None), ("ORDERTEST C", 5), ("ORDERTEST A", 10),
            ("ORDERTEST D", None), ("ORDERTEST B", 5), ("ORDERTEST E", 1), ("ORDERTEST A", 5)]
    return [OrganizationFactory(name=name, employees=employees, area=district.area_a)
            for name, employees in spec]


@pytest.mark.parametrize("ordering, keys", [
    ("employees", [("employees", False)]),
    ("-employees", [("employees", True)]),
    ("employees,-name", [("employees", False), ("name", True)]),
    ("-employees,name", [("employees", True), ("name", False)]),
    ("name,-id", None),
])
@pytest.mark.parametrize("page_size", [1, 2, 3])
def test_cursor_walk_with_ties_and_nulls_is_every_row_once_in_order(
        ties_and_nulls, make_token, bearer, ordering, keys, page_size):
    client = bearer(make_token("district"))
    params = {"q": "ORDERTEST", "ordering": ordering}
    if keys is None:  # name ascending, then id descending among equal names
        by_id = sorted(ties_and_nulls, key=lambda o: -o.pk)
        want = [o.pk for o in sorted(by_id, key=lambda o: o.name)]
    else:
        want = expected_order(ties_and_nulls, *keys)
    ids, answers = walk(client, "/api/registry/organizations", params, page_size)
    assert ids == want
    assert numbered(client, "/api/registry/organizations", params) == want
    assert all(a["count"] == len(want) and a["page"] is None for a in answers)
    assert len(answers) == math.ceil(len(want) / page_size)


def test_cursor_walk_survives_a_row_added_before_and_after_the_position(
        ties_and_nulls, make_token, bearer):
    client = bearer(make_token("district"))
    params = {"q": "ORDERTEST", "ordering": "-employees,name", "page_size": 3}
    first = client.get("/api/registry/organizations", {**params, "cursor": ""}).json()
    seen = [row["id"] for row in first["results"]]
    OrganizationFactory(name="ORDERTEST 0", employees=None, area=ties_and_nulls[0].area)  # before
    late = OrganizationFactory(name="ORDERTEST Z", employees=0, area=ties_and_nulls[0].area)
    cursor = first["next_cursor"]
    while cursor:
        answer = client.get("/api/registry/organizations", {**params, "cursor": cursor}).json()
        seen += [row["id"] for row in answer["results"]]
        cursor = answer["next_cursor"]
    assert seen == expected_order(ties_and_nulls, ("employees", True), ("name", False)) + [late.pk]


def test_an_unknown_ordering_field_is_422_naming_it(district, make_token, bearer):
    client = bearer(make_token("district"))
    response = client.get("/api/registry/organizations", {"ordering": "name,-contact_phone"},
                          HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert response.status_code == 422
    assert (body["code"], body["field"]) == ("invalid_ordering", "ordering")
    assert "contact_phone" in body["message"] and "employees" in body["message"]
    chinese = client.get("/api/party/members", {"ordering": "id_number"}).json()
    assert chinese["code"] == "invalid_ordering" and "未知的排序字段" in chinese["message"]
    assert "id_number" in chinese["message"]


def test_a_cursor_of_another_ordering_is_refused(district, make_token, bearer):
    client = bearer(make_token("district"))
    url = "/api/registry/organizations"
    by_name = client.get(url, {"ordering": "name", "cursor": "", "page_size": 1}).json()
    by_id = client.get(url, {"cursor": "", "page_size": 1}).json()
    for params in ({"ordering": "-name", "cursor": by_name["next_cursor"]},
                   {"cursor": by_name["next_cursor"]},
                   {"ordering": "name", "cursor": by_id["next_cursor"]}):
        response = client.get(url, params)
        assert response.status_code == 422, params
        assert (response.json()["code"], response.json()["field"]) == ("invalid_cursor", "cursor")


def test_cursor_values_round_trip_and_forgeries_fail():
    values = [datetime.datetime(2026, 11, 29, 9, 30, 1, 5, tzinfo=datetime.UTC),
              datetime.date(2026, 1, 31), Decimal("5000.25"), None, "化工", 7, 0.5, True]
    cursor = encode_keyset_cursor("a,-b", values, 42)
    assert decode_keyset_cursor(cursor, "a,-b", len(values)) == (values, 42)
    assert decode_keyset_cursor("", "a,-b", len(values)) is None
    for bad in (cursor[:-3] + "abc", encode_cursor(42),
                encode_keyset_cursor("a,-b", values[:2], 42)):
        with pytest.raises(ApiError) as caught:
            decode_keyset_cursor(bad, "a,-b", len(values))
        assert caught.value.code == "invalid_cursor"


@pytest.mark.django_db
def test_paginate_without_ordering_keeps_id_order_for_cursor_pages(district):
    queryset = Organization.objects.order_by("-name")
    page = paginate(queryset, PageParams(cursor="", page_size=2), {"name": "name"})
    assert [o.pk for o in page["results"]] == sorted(queryset.values_list("pk", flat=True))[:2]


# --- every list of the document ---------------------------------------------------------------

def ordered_lists() -> dict[str, list[str]]:
    """path → the ordering names its `ordering` parameter documents, for every GET of a page."""
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    found = {}
    for path, methods in document["paths"].items():
        operation = methods.get("get")
        if not operation:
            continue
        ok = operation["responses"].get(200) or operation["responses"].get("200", {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
        schema = components[schema["$ref"].rsplit("/", 1)[-1]] if "$ref" in schema else schema
        if "next_cursor" not in schema.get("properties", {}):
            continue
        ordering = next((p for p in operation.get("parameters", []) if p["name"] == "ordering"),
                        None)
        assert ordering is not None, f"{path}: a list without `ordering`"
        described = ordering.get("description") or ordering["schema"].get("description", "")
        names = re.findall(r"`([a-z_]+)`", described.split("(")[0])
        assert names, f"{path}: `ordering` does not document its fields"
        found[path] = names
    return found


def test_every_list_documents_its_ordering_fields():
    lists = ordered_lists()
    assert len(lists) >= 20
    assert {"id", "name", "employees", "area"} <= set(lists["/api/registry/organizations"])


def test_every_list_walks_in_every_documented_order(token_for_demo, bearer):
    """Each list, each field both ways: four cursor pages give the rows of the first numbered
    page (up to 60 rows), in its order, none twice (whole walks: the tests above)."""
    client = bearer(token_for_demo)
    checked = 0
    for path, names in ordered_lists().items():
        if "{" in path:
            continue
        for name in names:
            for ordering in (name, f"-{name}"):
                response = client.get(path, {"ordering": ordering, "page_size": 60})
                assert response.status_code == 200, (path, ordering, response.content[:300])
                want = [row["id"] for row in response.json()["results"]]
                if not want:
                    continue
                page_size = max(1, math.ceil(len(want) / 4))
                ids, _answers = walk(client, path, {"ordering": ordering}, page_size,
                                     stop_after=len(want))
                assert ids[:len(want)] == want, (path, ordering)
                checked += 1
    assert checked > 100


@pytest.fixture
def token_for_demo(db) -> str:
    """A district token on the demo district (rows for every list)."""
    call_command("demo", scale=0.02, verbosity=0)
    actor = Role.objects.filter(kind="district", user__api_client__isnull=True).first().user
    _, token = api_client_create(actor=actor, name="ordering walk", role_kind="district",
                                 expires_in_days=1, rate_limit_per_minute=100_000)
    return token
