"""The ends of every number and date: each GET's path ids and query parameters at the edges of
what their type admits answer below 500 (422 when bounded, 404 or an empty list otherwise).
Found by probing: unbounded `year` (held_on__year=99999), ids past 64 bits on SQLite, and
9999-12-31 + 1 day were 500s."""
import re

from django.test import Client

from .conftest import openapi_document

EDGES = {"integer": [str(2**70), str(-2**63 - 1), "99999"], "date": ["0001-01-01", "9999-12-31"]}


def kind(schema: dict) -> str | None:
    options = [schema, *schema.get("anyOf", [])]
    if any(option.get("format") == "date" for option in options):
        return "date"
    if any(option.get("type") == "integer" for option in options):
        return "integer"
    return None


def edge_requests(document: dict):
    for path, methods in document["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        yield re.sub(r"\{[^}]+\}", str(2**70), path), {}
        base = re.sub(r"\{[^}]+\}", "1", path)
        for parameter in operation.get("parameters", []):
            values = EDGES.get(kind(parameter.get("schema", {})) or "", [])
            if parameter["in"] == "query":
                for value in values:
                    yield base, {parameter["name"]: value}


def test_no_get_answers_500_at_the_edges(district, token_for):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for('district', sees_personal_data=True)}",
                    raise_request_exception=False)
    failures = [(url, query, response.status_code)
                for url, query in edge_requests(openapi_document())
                if (response := client.get(url, query)).status_code >= 500]
    assert not failures
