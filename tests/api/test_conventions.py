"""Shared conventions of sanxin/core/apitools.py and config/api.py."""
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.test import RequestFactory

from config.api import api
from sanxin.core.apitools import ApiError, apply_ordering, etag_for, require_if_match
from sanxin.registry.models import Organization


def envelope(exc):
    response = api.on_exception(RequestFactory().get("/api/x", HTTP_ACCEPT_LANGUAGE="en"), exc)
    import json

    return response.status_code, json.loads(response.content)


def test_django_validation_errors_from_services_become_422_naming_the_field():
    status, body = envelope(DjangoValidationError({"deadline": ["Before the start."]}))
    assert status == 422
    assert (body["code"], body["field"], body["message"]) == ("invalid", "deadline",
                                                             "Before the start.")
    status, body = envelope(DjangoValidationError("Closed cases cannot change."))
    assert (status, body["field"], body["message"]) == (422, None, "Closed cases cannot change.")


@pytest.mark.parametrize("exc, status, code", [
    (Http404(), 404, "not_found"), (PermissionDenied(), 403, "forbidden"),
    (ApiError(409, "conflict"), 409, "conflict"),
    (ApiError(422, "invalid_ordering", field="ordering"), 422, "invalid_ordering"),
])
def test_exceptions_map_to_stable_codes(exc, status, code):
    got_status, body = envelope(exc)
    assert (got_status, body["code"]) == (status, code)
    assert body["message"] and set(body) >= {"code", "message", "field"}


@pytest.mark.django_db
def test_ordering_by_documented_fields_only(district):
    allowed = {"name": "name", "employees": "employees"}
    qs = Organization.objects.all()
    ordered = apply_ordering(qs, "-name", allowed)
    assert list(ordered.values_list("name", flat=True)) == sorted(
        qs.values_list("name", flat=True), reverse=True)
    assert [str(key) for key in ordered.query.order_by][-1].startswith("OrderBy(F(pk)")
    assert apply_ordering(qs, "", allowed, default=("-id",)).query.order_by == ("-id",)
    with pytest.raises(ApiError) as caught:
        apply_ordering(qs, "name,password", allowed)
    assert (caught.value.status, caught.value.code, caught.value.field) == (
        422, "invalid_ordering", "ordering")
    assert "password" in caught.value.message and "employees" in caught.value.message


def test_if_match_missing_stale_matching():
    current = etag_for(7, "handling", 3)
    assert current == etag_for(7, "handling", 3) != etag_for(7, "handling", 4)
    factory = RequestFactory()
    with pytest.raises(ApiError) as missing:
        require_if_match(factory.post("/"), current)
    assert (missing.value.status, missing.value.code) == (428, "precondition_required")
    require_if_match(factory.post("/"), current, required=False)
    with pytest.raises(ApiError) as stale:
        require_if_match(factory.post("/", HTTP_IF_MATCH=etag_for(7, "handling", 2)), current)
    assert (stale.value.status, stale.value.code) == (412, "precondition_failed")
    assert stale.value.headers["ETag"] == current
    require_if_match(factory.post("/", HTTP_IF_MATCH=current), current)
    require_if_match(factory.post("/", HTTP_IF_MATCH=f'"other", W/{current}'), current)
    require_if_match(factory.post("/", HTTP_IF_MATCH="*"), current)


@pytest.mark.django_db
def test_datetimes_are_iso_in_asia_shanghai(district, make_token, bearer):
    body = bearer(make_token()).get("/api/apiclients/me").json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00", body["token_expires_at"])


@pytest.mark.django_db
def test_openapi_documents_bearer_auth_and_error_envelope(client):
    schema = client.get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["ApiTokenAuth"].items()
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "message"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert {"401", "404", "422", "429"} <= set(operation["responses"]), (method, path)
            assert operation.get("security"), (method, path)


@pytest.mark.django_db
def test_docs_page_runs_from_our_own_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'href="([^"]+\.css)"', html)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    for src in scripts:
        assert finders.find(src.removeprefix("/static/")), src
    assert not re.search(r"<script>(?!\s*</script>)", html)  # no inline script (CSP)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_an_unexpected_error_is_a_500_in_the_envelope():
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        status, body = envelope(exc)
    assert (status, body["code"]) == (500, "server_error")
    assert "boom" not in body["message"]
