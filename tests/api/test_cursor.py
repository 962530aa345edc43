"""Cursor pagination (docs/api.md, Pagination): opaque, id order, totals, no row skipped or
repeated when rows are added between pages, a forged cursor refused."""
import json

import pytest

from sanxin.cases.models import Case
from sanxin.core.apitools import PageParams, decode_cursor, encode_cursor, paginate
from sanxin.registry.models import Organization
from tests.cases.conftest import raise_case
from tests.factories import OrganizationFactory


def walk(client, url: str, page_size: int) -> tuple[list[int], list[dict]]:
    """Follow next_cursor from `cursor=` to the end; the ids seen and every answer."""
    ids: list[int] = []
    answers: list[dict] = []
    cursor = ""
    while cursor is not None:
        answer = client.get(url, {"cursor": cursor, "page_size": page_size}).json()
        answers.append(answer)
        ids += [row["id"] for row in answer["results"]]
        cursor = answer["next_cursor"]
        assert len(answers) < 50
    return ids, answers


def test_registry_organizations_by_cursor(district, make_token, bearer):
    for index in range(5):
        OrganizationFactory(name=f"游标测试{index}有限公司", area=district.area_a)
    client = bearer(make_token("district"))
    ids, answers = walk(client, "/api/registry/organizations", page_size=2)
    expected = sorted(Organization.objects.values_list("id", flat=True))
    assert ids == expected  # every row once, in id order
    assert all(a["count"] == len(expected) and a["page"] is None for a in answers)
    assert answers[-1]["next_cursor"] is None and len(answers) == (len(expected) + 1) // 2


def test_cases_by_cursor_survive_rows_added_between_pages(district, make_token, bearer):
    for index in range(4):
        raise_case(district, title=f"游标{index}")
    client = bearer(make_token("district"))
    first = client.get("/api/cases/cases", {"cursor": "", "page_size": 3}).json()
    seen = [row["id"] for row in first["results"]]
    raise_case(district, title="翻页时新增")  # a numbered page 2 would now repeat a row
    rest = client.get("/api/cases/cases", {"cursor": first["next_cursor"], "page_size": 3}).json()
    seen += [row["id"] for row in rest["results"]]
    assert seen == sorted(Case.objects.values_list("id", flat=True))
    assert rest["next_cursor"] is None and rest["count"] == 5


def test_numbered_pages_are_unchanged(district, make_token, bearer):
    client = bearer(make_token("district"))
    answer = client.get("/api/registry/organizations", {"page": 1, "page_size": 2}).json()
    assert answer["page"] == 1 and answer["next_cursor"] is None
    assert answer["count"] == Organization.objects.count()


@pytest.mark.parametrize("cursor", ["abc", "MQ:forged:signature", encode_cursor(3)[:-2] + "xx",
                                    "x" * 201])
def test_a_forged_or_damaged_cursor_is_422(district, make_token, bearer, cursor):
    client = bearer(make_token("district"))
    response = client.get("/api/registry/organizations", {"cursor": cursor})
    body = response.json()
    assert response.status_code == 422 and body["field"] == "cursor"
    assert body["code"] in ("invalid_cursor", "too_long")


def test_cursor_is_opaque_and_round_trips():
    cursor = encode_cursor(41)
    assert "41" not in cursor.split(":")[-1] and decode_cursor(cursor) == 41
    assert decode_cursor("") == 0


@pytest.mark.django_db
def test_paginate_helper_cursor_ignores_the_querysets_order(district):
    queryset = Organization.objects.order_by("-name")
    page = paginate(queryset, PageParams(cursor="", page_size=2))
    assert [o.pk for o in page["results"]] == sorted(queryset.values_list("pk", flat=True))[:2]
    assert json.dumps(page["next_cursor"])
