import pytest
from django.test import override_settings

from ..factories import user_with_role

pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    user_with_role("zhang", "district")
    response = client.post("/accounts/login/", {"username": "zhang",
                                                "password": "Test-pass-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
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
