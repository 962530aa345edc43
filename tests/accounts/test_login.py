import pytest
from django.test import override_settings

from ..factories import user_with_role

pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    user_with_role("zhang", "district")
    response = client.post("/accounts/login/", {"username": "zhang",
                                                "password": "Test-pass-2026"})
    assert response.status_code == 302
    assert client.get("/", follow=True).status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_even_with_the_right_password(client):
    user_with_role("li", "district")
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "li", "password": "wrong"})
    assert response.status_code == 429
    response = client.post("/accounts/login/", {"username": "li",
                                                "password": "Test-pass-2026"})
    assert response.status_code == 429
    assert "locked" in response.content.decode() or "锁" in response.content.decode()
    assert client.get("/").status_code == 302  # not logged in


@override_settings(AXES_FAILURE_LIMIT=3)
def test_unlock_by_reset(client):
    from axes.utils import reset

    user_with_role("wang", "district")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "wang", "password": "wrong"})
    reset(username="wang")
    response = client.post("/accounts/login/", {"username": "wang",
                                                "password": "Test-pass-2026"})
    assert response.status_code == 302


def test_passwords_are_hashed_with_a_strong_hasher_in_production():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_district_unlocks_a_locked_account_on_its_page(client):
    from django.test import Client

    district_user = user_with_role("qu", "district")
    user_with_role("zhao", "district")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "zhao", "password": "wrong"})
    admin = Client()
    admin.force_login(district_user)
    page = admin.get("/accounts/locked/")
    assert [a.username for a in page.context["attempts"]] == ["zhao"]
    admin.post("/accounts/locked/", {"username": "zhao"})
    assert not admin.get("/accounts/locked/").context["attempts"].filter(username="zhao").exists()
    response = client.post("/accounts/login/", {"username": "zhao", "password": "Test-pass-2026"})
    assert response.status_code == 302


def test_only_the_district_may_unlock(district, client_for):
    assert client_for(district.area_user).post("/accounts/locked/",
                                               {"username": "x"}).status_code == 403


def test_password_change_enforces_strength(district, client_for):
    client = client_for(district.area_user)
    response = client.post("/accounts/password/", {
        "old_password": "Test-pass-2026", "new_password1": "12345678",
        "new_password2": "12345678"})
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    response = client.post("/accounts/password/", {
        "old_password": "Test-pass-2026", "new_password1": "Fuling-dunren-2027",
        "new_password2": "Fuling-dunren-2027"})
    assert response.status_code == 302
