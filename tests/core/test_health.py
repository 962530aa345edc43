import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_liveness_needs_no_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_readiness_checks_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["problems"] == []


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_readiness_fails_when_the_broker_is_unreachable(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"][0].startswith("broker")


@override_settings(CACHE_URL="redis://127.0.0.1:1/0")
def test_readiness_fails_when_the_cache_is_unreachable(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"][0].startswith("cache")
