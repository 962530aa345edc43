from celery import shared_task

from .services import unscoped_take_snapshot


@shared_task(name="coverage.take_snapshot")
def take_snapshot_task() -> int:
    """Monthly (Celery beat): idempotent, so running it again in the same month changes nothing."""
    return unscoped_take_snapshot(month=None)
