"""Health and readiness probes for load balancers and process managers."""
import time

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return "unapplied migrations"
    except Exception as exc:  # noqa: BLE001 (any failure means not ready)
        return f"database: {exc.__class__.__name__}"
    return None


def _ping_redis(url: str, name: str) -> str | None:
    if not url.startswith("redis"):
        return None
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return f"{name}: {exc.__class__.__name__}"
    return None


def _check_broker() -> str | None:
    return _ping_redis(settings.CELERY_BROKER_URL, "broker")


def _check_cache() -> str | None:
    """With CACHE_URL, sessions and signed-in users live in Redis: no page works without it."""
    return _ping_redis(settings.CACHE_URL, "cache")


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers, migrations are applied, the broker and the cache (if
    any) answer."""
    started = time.perf_counter()
    problems = [p for p in (_check_database(), _check_broker(), _check_cache()) if p]
    body = {"status": "ok" if not problems else "unavailable", "problems": problems,
            "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse(body, status=200 if not problems else 503)
