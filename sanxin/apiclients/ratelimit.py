"""Per-token rate limit: a fixed one-minute window counted in Django's cache.

With the default local-memory cache each gunicorn worker counts on its own (the effective limit
is the limit times the workers); point CACHES at Redis (django.core.cache.backends.redis) to
share one count. Documented in docs/api.md.
"""
import time

from django.core.cache import cache
from ninja.errors import Throttled

from .models import ApiToken

WINDOW_SECONDS = 60


def check_rate(token: ApiToken, now: float | None = None) -> None:
    """Count this request; raise Throttled (429, Retry-After) above the client's limit."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    # The hash, not the pk: a pk can be reused (SQLite, tests) and must not inherit a count.
    key = f"sanxin:api-rate:{token.token_hash[:32]}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > token.client.rate_limit_per_minute:
        raise Throttled(wait=WINDOW_SECONDS - (now % WINDOW_SECONDS))
