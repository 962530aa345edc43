from celery import shared_task

from .services import audit_cleanup


@shared_task(name="accounts.audit_cleanup")
def audit_cleanup_task(older_than_days: int = 365) -> dict[str, int]:
    return audit_cleanup(older_than_days=older_than_days)
