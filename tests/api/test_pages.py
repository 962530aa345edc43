"""The district's page: create a client (token shown once), issue, revoke, see the log."""
import hashlib
import re

import pytest

from sanxin.apiclients.models import ApiClient, ApiRequestLog, ApiToken

pytestmark = pytest.mark.django_db
FORM = {"name": "区统计局", "role_kind": "area", "expires_in_days": 90,
        "rate_limit_per_minute": 60}


def shown_token(response) -> str:
    match = re.search(r'id="new-token">(sx_[^<]+)<', response.content.decode())
    assert match, "the page shows the new token"
    return match.group(1)


def test_district_creates_a_client_and_sees_the_token_once(district, client_for):
    browser = client_for(district.district)
    response = browser.post("/api-clients/new/", {**FORM, "area": district.area_b.pk})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = shown_token(response)
    stored = ApiToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    client = ApiClient.objects.get()
    assert (client.name, client.rate_limit_per_minute) == ("区统计局", 60)
    assert [(r.kind, r.area_id) for r in client.user.roles.all()] == [("area", district.area_b.pk)]
    detail = browser.get(f"/api-clients/{client.pk}/").content.decode()
    assert token not in detail and stored.prefix in detail
    assert token not in browser.get("/api-clients/").content.decode()


def test_organization_scope_by_credit_code(district, client_for):
    browser = client_for(district.district)
    browser.post("/api-clients/new/", {**FORM, "role_kind": "organization",
                                       "organization_code": district.a1.credit_code.lower()})
    assert ApiClient.objects.get().user.roles.get().organization == district.a1


@pytest.mark.parametrize("changes, field", [
    ({"role_kind": "area"}, "area"),
    ({"role_kind": "department"}, "department"),
    ({"role_kind": "organization", "organization_code": "91500102000000000X"}, "organization_code"),
    ({"role_kind": "officer"}, "role_kind"),
    ({"expires_in_days": 0}, "expires_in_days"),
    ({"expires_in_days": 5000}, "expires_in_days"),
    ({"rate_limit_per_minute": "many"}, "rate_limit_per_minute"),
    ({"name": "  "}, "name"),
])
def test_bad_form_input_names_the_field_and_creates_nothing(district, client_for, changes, field):
    response = client_for(district.district).post("/api-clients/new/", {**FORM, **changes})
    assert response.status_code == 200
    assert f'data-field="{field}"' in response.content.decode()
    assert not ApiClient.objects.exists() and not ApiToken.objects.exists()


def test_duplicate_name_is_refused(district, client_for, make_token):
    make_token()
    name = ApiClient.objects.get().name
    response = client_for(district.district).post("/api-clients/new/",
                                                  {**FORM, "name": name, "role_kind": "district"})
    assert 'data-field="name"' in response.content.decode()
    assert ApiClient.objects.count() == 1


@pytest.mark.parametrize("who", ["area", "department", "functional", "organization", "officer"])
def test_only_the_district_reaches_the_pages(district, client_for, make_token, who):
    make_token()
    token = ApiToken.objects.get()
    browser = client_for(district.users()[who])
    assert browser.get("/api-clients/").status_code == 403
    assert browser.post("/api-clients/new/", {**FORM, "role_kind": "district"}).status_code == 403
    assert browser.get(f"/api-clients/{token.client_id}/").status_code == 403
    assert browser.post(f"/api-clients/tokens/{token.pk}/revoke/").status_code == 403
    assert browser.post(f"/api-clients/{token.client_id}/tokens/new/",
                        {"expires_in_days": 5}).status_code == 403
    assert ApiClient.objects.count() == 1 and ApiToken.objects.get().revoked_at is None


def test_revoking_on_the_page_shuts_the_token_out(district, client_for, make_token, bearer):
    token = make_token()
    api = bearer(token)
    assert api.get("/api/registry/organizations").status_code == 200
    stored = ApiToken.objects.get()
    response = client_for(district.district).post(f"/api-clients/tokens/{stored.pk}/revoke/")
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_by == district.district and stored.revoked_at
    assert api.get("/api/registry/organizations").json()["code"] == "token_revoked"


def test_issuing_a_new_token_keeps_the_old_one_until_revoked(district, client_for, make_token,
                                                            bearer):
    old = make_token()
    client = ApiClient.objects.get()
    browser = client_for(district.district)
    new = shown_token(browser.post(f"/api-clients/{client.pk}/tokens/new/",
                                   {"expires_in_days": 7}))
    assert new != old and client.tokens.count() == 2
    assert bearer(old).get("/api/apiclients/me").status_code == 200
    assert bearer(new).get("/api/apiclients/me").json()["client"] == client.name
    response = browser.post(f"/api-clients/{client.pk}/tokens/new/", {"expires_in_days": -1})
    assert response.status_code == 302 and client.tokens.count() == 2


def test_detail_page_shows_the_clients_requests(district, client_for, make_token, bearer):
    token = make_token()
    bearer(token).get(f"/api/registry/organizations/{district.a1.pk}")
    client = ApiClient.objects.get()
    page = client_for(district.district).get(f"/api-clients/{client.pk}/").content.decode()
    assert f"/api/registry/organizations/{district.a1.pk}" in page
    assert ApiRequestLog.objects.get().client == client


def test_nav_shows_the_page_to_the_district_only(district, client_for):
    page = "/organizations/"  # any page on the base layout
    assert 'href="/api-clients/"' in client_for(district.district).get(page).content.decode()
    assert 'href="/api-clients/"' not in client_for(district.area_user).get(page).content.decode()
