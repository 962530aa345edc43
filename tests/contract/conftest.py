"""Contract tests against the OpenAPI document: bounded in time (docs/api.md, Contract tests).

SANXIN_CONTRACT_EXAMPLES (default 3) sets the generated requests per operation and method of
generation; the whole folder stays well under a minute on a 2-core machine."""
import os
from collections.abc import Callable, Iterator

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections

from config.api import api

EXAMPLES = int(os.environ.get("SANXIN_CONTRACT_EXAMPLES", "3"))


def openapi_document() -> dict:
    return api.get_openapi_schema()


def operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def in_process_wsgi() -> Iterator[None]:
    """Calls through the raw WSGI app must not close the test's connection (and its open
    transaction) at the end of each request: the same as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token_for(db) -> Callable[..., str]:
    """token_for(role_kind, **target) → a token issued by a district person (one is made if the
    data at hand has none)."""
    from sanxin.accounts.models import Role
    from sanxin.apiclients.services import api_client_create
    from tests.factories import user_with_role

    counter = iter(range(1, 1000))

    def make(role_kind: str = "district", **target) -> str:
        role = Role.objects.filter(kind="district", user__api_client__isnull=True).first()
        actor = role.user if role else user_with_role("contract-admin", "district")
        _, token = api_client_create(
            actor=actor, name=f"contract {next(counter)}", role_kind=role_kind,
            expires_in_days=1, rate_limit_per_minute=100_000, **target)
        return token

    return make
