import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_dashboard_cache():
    """The dashboard caches per user for a minute; ids repeat between tests, so start empty."""
    cache.clear()
    yield
    cache.clear()
