from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client

from sanxin.apiclients.services import api_client_create


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_token(district) -> Callable[..., str]:
    """make_token(role_kind="district", **target) → a fresh token of a new client."""
    counter = iter(range(1, 1000))

    def make(role_kind: str = "district", *, rate: int = 1000, days: int = 30, **target) -> str:
        _, token = api_client_create(
            actor=district.district, name=f"client {next(counter)} {role_kind}",
            role_kind=role_kind, expires_in_days=days, rate_limit_per_minute=rate, **target)
        return token

    return make


@pytest.fixture
def bearer() -> Callable[[str], Client]:
    """bearer(token) → a test client that sends the token on every request."""

    def make(token: str) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make
