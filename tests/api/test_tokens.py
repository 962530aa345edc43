"""Machine clients authenticate with a token, act in their scope, are logged and rate limited."""
import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.apiclients.models import ApiClient, ApiRequestLog, ApiToken

pytestmark = pytest.mark.django_db
ORGS = "/api/registry/organizations"


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_token_is_shown_once_and_stored_as_its_sha256(district, make_token, bearer):
    token = make_token()
    stored = ApiToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(stored.prefix + "_") and len(token) > 40
    for value in ApiToken.objects.values().get().values():
        assert token not in str(value)
    response = bearer(token).get("/api/apiclients/me")
    assert response.status_code == 200
    assert response.json()["client"] == stored.client.name
    assert response.json()["token_prefix"] == stored.prefix


def test_client_is_a_service_account_that_cannot_sign_in(district, make_token):
    make_token("area", area=district.area_a)
    account = ApiClient.objects.get().user
    assert not account.has_usable_password()
    assert not account.check_password("")
    assert [(r.kind, r.area_id) for r in account.roles.all()] == [("area", district.area_a.pk)]


@pytest.mark.parametrize("role_kind, target, expected", [
    ("district", {}, {"a1", "a2", "b1"}),
    ("area", {"area": "area_a"}, {"a1", "a2"}),
    ("department", {"department": "dept_x"}, {"a1", "b1"}),
    ("organization", {"organization": "a1"}, {"a1"}),
])
def test_token_sees_exactly_its_scope_and_404_outside(district, make_token, bearer,
                                                       role_kind, target, expected):
    token = make_token(role_kind, **{k: getattr(district, v) for k, v in target.items()})
    api = bearer(token)
    assert names(api.get(ORGS)) == {getattr(district, key).name for key in expected}
    for key in ("a1", "a2", "b1"):
        org = getattr(district, key)
        response = api.get(f"{ORGS}/{org.pk}")
        if key in expected:
            assert response.status_code == 200 and response.json()["name"] == org.name
        else:
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
            assert org.name not in response.content.decode()


def test_personal_data_masked_unless_the_clients_role_needs_it(district, make_token, bearer):
    masked = bearer(make_token("area", area=district.area_a)).get(f"{ORGS}/{district.a1.pk}")
    assert masked.json()["contact_phone"] != "13812345678"
    assert "1234" not in masked.json()["contact_phone"]
    full = bearer(make_token("district", sees_personal_data=True)).get(f"{ORGS}/{district.a1.pk}")
    assert full.json()["contact_phone"] == "13812345678"


@pytest.mark.parametrize("header", [None, "Bearer", "Token abc", "Basic dXNlcjpwYXNz"])
def test_no_token_is_401_not_authenticated(district, client, header):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(ORGS, **kwargs)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] in ("not_authenticated", "token_invalid")
    assert district.a1.name not in response.content.decode()


def test_unknown_token_is_401_token_invalid_and_not_logged(district, make_token, bearer):
    token = make_token()
    response = bearer(token[:-1] + ("A" if token[-1] != "A" else "B")).get(ORGS)
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response["WWW-Authenticate"] == "Bearer"
    assert not ApiRequestLog.objects.exists()


def test_revoked_token_is_401_token_revoked_and_logged(district, make_token, bearer):
    token = make_token()
    api = bearer(token)
    assert api.get(ORGS).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    response = api.get(ORGS)
    assert response.status_code == 401
    assert response.json() == {"code": "token_revoked", "message": response.json()["message"],
                               "field": None}
    assert district.a1.name not in response.content.decode()
    assert list(ApiRequestLog.objects.order_by("id").values_list("status_code", flat=True)) == [
        200, 401]


def test_expired_token_is_401_token_expired(district, make_token, bearer):
    token = make_token()
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(token).get(ORGS)
    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"


def test_deactivated_service_account_is_refused(district, make_token, bearer):
    token = make_token()
    ApiClient.objects.get().user.__class__.objects.filter(api_client__isnull=False).update(
        is_active=False)
    assert bearer(token).get(ORGS).json()["code"] == "token_revoked"


def test_every_token_request_is_logged_with_its_client(district, make_token, bearer):
    first, second = make_token(), make_token("area", area=district.area_a)
    bearer(first).get(ORGS)
    bearer(second).get(f"{ORGS}/{district.b1.pk}")
    bearer(second).get("/api/apiclients/me")
    rows = list(ApiRequestLog.objects.order_by("id").values_list(
        "client__name", "method", "path", "status_code"))
    assert rows == [
        ("client 1 district", "GET", ORGS, 200),
        ("client 2 area", "GET", f"{ORGS}/{district.b1.pk}", 404),
        ("client 2 area", "GET", "/api/apiclients/me", 200),
    ]


def test_session_requests_are_not_logged_as_clients(district, client_for):
    assert client_for(district.district).get(ORGS).status_code == 200
    assert not ApiRequestLog.objects.exists()


def test_rate_limit_per_token_gives_429_with_retry_after(district, make_token, bearer):
    limited, other = make_token(rate=3), make_token(rate=3)
    api = bearer(limited)
    assert [api.get(ORGS).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(ORGS)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert district.a1.name not in response.content.decode()
    assert bearer(other).get(ORGS).status_code == 200  # per token, not global
    assert ApiRequestLog.objects.filter(status_code=429).count() == 1


def test_token_writes_need_no_csrf_and_session_writes_do(district, make_token, bearer, client):
    """The token is tried before the session: a machine POST is never refused for CSRF."""
    token = make_token()
    revoke = f"/api/apiclients/tokens/{ApiToken.objects.get().pk}/revoke"
    response = bearer(token).post(revoke)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"  # not CSRF
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(district.district)
    response = browser.post(revoke)
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.parametrize("cookie", ["abc\x00def0123", "x" * 40 + "'; --", "ABCDEFGH-ijk"])
def test_a_forged_session_cookie_is_no_session_not_a_500(district, client, cookie):
    client.cookies["sessionid"] = cookie
    response = client.get(ORGS)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_real_session_still_works(district, client):
    client.force_login(district.area_user)
    assert client.get(ORGS).status_code == 200
