"""Every operation refuses a request without a valid token, and a token outside its scope gets
404 on others' rows (derived from the schema: a list `/x` and its detail `/x/{id}`), also from
every operation under that detail (`/x/{id}/timeline`, `POST /x/{id}/transitions/{action}`)."""
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from sanxin.apiclients.models import ApiToken

from .conftest import openapi_document, operations

pytestmark = pytest.mark.django_db
# Operations that answer without a token on purpose (none so far): keep this list short.
PUBLIC_OPERATIONS: set[tuple[str, str]] = set()


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def call(client: Client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    return client.generic(method, path, data="{}", content_type="application/json")


def test_every_operation_refuses_a_request_without_a_valid_token(district, token_for):
    revoked, expired = token_for(), token_for()
    ApiToken.objects.filter(pk=ApiToken.objects.order_by("id").first().pk).update(
        revoked_at=timezone.now())
    ApiToken.objects.filter(pk=ApiToken.objects.order_by("id").last().pk).update(
        expires_at=timezone.now())
    callers = {"not_authenticated": Client(), "token_invalid": Client(
        HTTP_AUTHORIZATION="Bearer sx_00000000_forged"),
        "token_revoked": Client(HTTP_AUTHORIZATION=f"Bearer {revoked}"),
        "token_expired": Client(HTTP_AUTHORIZATION=f"Bearer {expired}")}
    checked = 0
    for method, path, _ in operations(openapi_document()):
        if (method, path) in PUBLIC_OPERATIONS:
            continue
        for code, client in callers.items():
            response = call(client, method, concrete(path))
            assert response.status_code == 401, (method, path, code, response.content[:200])
            assert response.json()["code"] == code, (method, path)
        checked += 1
    assert checked >= 5  # the registry and apiclients routers at least


def list_detail_pairs(document: dict) -> list[tuple[str, str]]:
    """(list path, detail path) where GET `/x/{id}` sits beside GET `/x` returning rows."""
    gets = {path for method, path, _ in operations(document) if method == "GET"}
    pairs = []
    for path in gets:
        match = re.fullmatch(r"(.+)/\{[^}/]+\}", path)
        if match and match.group(1) in gets and "{" not in match.group(1):
            pairs.append((match.group(1), path))
    return sorted(pairs)


def row_ids(client: Client, list_path: str) -> set[int] | None:
    ids: set[int] = set()
    page = 1
    while True:
        response = client.get(list_path, {"page": page, "page_size": 200})
        if response.status_code != 200:
            return None
        body = response.json()
        rows = body["results"] if isinstance(body, dict) and "results" in body else body
        if not isinstance(rows, list) or not all(isinstance(r, dict) and "id" in r for r in rows):
            return None
        ids |= {row["id"] for row in rows}
        if not isinstance(body, dict) or len(ids) >= body.get("count", 0) or not rows:
            return ids
        page += 1


def operations_under(document: dict, detail_path: str) -> list[tuple[str, str]]:
    """(method, path) of the operations below a detail path, their other path parameters
    filled with a word (an action name, a ticket)."""
    found = []
    for method, path, _ in operations(document):
        if path.startswith(detail_path + "/"):
            rest = re.sub(r"\{[^}]+\}", "sign", path[len(detail_path):])
            found.append((method, detail_path + rest))
    return found


def test_a_token_outside_its_scope_gets_404_on_others_rows(token_for):
    call_command("demo", scale=0.02, verbosity=0)  # rows for every app with a demo step
    from sanxin.accounts.models import User

    def copy_scope(username: str) -> str:
        role = User.objects.get(username=username).roles.get()
        return token_for(role.kind, area=role.area, department=role.department,
                         organization=role.organization)

    everything = Client(HTTP_AUTHORIZATION=f"Bearer {token_for()}")
    narrow = {name: Client(HTTP_AUTHORIZATION=f"Bearer {copy_scope(name)}")
              for name in ("demo_dunren", "demo_jingxinwei", "demo_huafeng")}
    checked_rows = checked_below = 0
    document = openapi_document()
    pairs = list_detail_pairs(document)
    assert ("/api/registry/organizations", "/api/registry/organizations/{org_id}") in pairs
    for list_path, detail_path in pairs:
        all_ids = row_ids(everything, list_path)
        if not all_ids:
            continue
        sample = sorted(all_ids)[:: max(1, len(all_ids) // 25)]
        for name, client in narrow.items():
            mine = row_ids(client, list_path) or set()
            assert mine <= all_ids, (name, list_path)
            for row_id in sample:
                response = client.get(detail_path.replace(
                    detail_path[detail_path.rindex("{"):], str(row_id)))
                expected = 200 if row_id in mine else 404
                assert response.status_code == expected, (name, detail_path, row_id)
                if expected == 404:
                    assert response.json()["code"] == "not_found"
                    checked_below += check_below(client, document, detail_path, row_id)
                checked_rows += 1
    assert checked_rows > 0 and checked_below > 0


def check_below(client: Client, document: dict, detail_path: str, row_id: int) -> int:
    """A row outside the scope: every operation under it is 404 — or a 422 for the body, which
    comes before the row is looked up and says nothing about it — never a success or a 403."""
    checked = 0
    for method, path in operations_under(document, detail_path):
        url = path.replace(detail_path[detail_path.rindex("{"):], str(row_id), 1)
        response = call(client, method, url)
        assert response.status_code in (404, 422), (method, url, response.status_code)
        if response.status_code == 422:
            assert response.json()["code"] != "not_found"
        checked += 1
    return checked
