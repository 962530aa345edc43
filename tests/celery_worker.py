"""A real Celery worker on Redis for the tests marked `celery_worker` (PostgreSQL only: the worker
is another process and must share the test database, so those tests are transactional).

The test process's own Celery app stays eager: tasks go to the worker through a client app of
their own, on a queue of their own (named per test), which is deleted afterwards with the
results, so that nothing is left queued for later tests."""
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# issue 8's Redis database; another can be chosen with SANXIN_TEST_REDIS_URL
REDIS_URL = os.environ.get("SANXIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")


def database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, client, queue: str, process: subprocess.Popen):
        self.client, self.queue, self.process = client, queue, process
        self.results = []
        self.output = ""

    def send(self, name: str, *args):
        """Send task `name` to this worker; returns the AsyncResult (`.get(timeout=…)`)."""
        result = self.client.send_task(name, args=args, queue=self.queue)
        self.results.append(result)
        return result


@contextmanager
def real_worker(**env: str) -> Iterator[Worker]:
    """Start `celery -A config worker` (solo pool) on a fresh queue; stop it and clean up after."""
    import redis
    from celery import Celery

    queue = f"sx-test-{uuid.uuid4().hex[:10]}"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
                   "DATABASE_URL": database_url(), "CELERY_BROKER_URL": REDIS_URL,
                   "CELERY_RESULT_BACKEND": REDIS_URL, **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        env=environment, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    client = Celery(f"{queue}-client", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    worker = Worker(client, queue, process)
    try:
        yield worker
    finally:
        for result in worker.results:
            result.forget()
        client.close()
        process.terminate()
        try:
            worker.output = process.communicate(timeout=20)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            process.kill()
            worker.output = process.communicate()[0].decode(errors="replace")
        store = redis.Redis.from_url(REDIS_URL)
        store.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        store.close()
