"""Writes of the trust data."""
from datetime import timedelta

from auditlog.models import LogEntry
from axes.utils import reset
from django.db import transaction
from django.utils import timezone

from .audit import AUDIT_MIN_RETENTION_DAYS
from .models import PersonalDataRead, User
from .selectors import require_district


def account_unlock(*, actor: User, username: str) -> int:
    """Clears the lock-out of one username; returns how many attempt records were removed."""
    require_district(actor)
    return reset(username=username) or 0


def audit_cleanup(*, older_than_days: int) -> dict[str, int]:
    """System job: deletes audit rows older than the given age, never younger than the minimum
    retention, whatever it is asked."""
    days = max(older_than_days, AUDIT_MIN_RETENTION_DAYS)
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        log_deleted, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
        reads_deleted, _ = PersonalDataRead.objects.filter(at__lt=cutoff).delete()
        requests_deleted = _api_request_log_prune()
    return {"days": days, "log_entries": log_deleted, "personal_data_reads": reads_deleted,
            "api_requests": requests_deleted, "import_uploads": _import_uploads_prune()}


def _api_request_log_prune() -> int:
    """The API request log has its own retention (API_REQUEST_LOG_RETENTION_DAYS)."""
    from sanxin.apiclients.services import api_request_log_prune  # apiclients builds on accounts

    return api_request_log_prune()


def _import_uploads_prune() -> int:
    """Uploaded import files have their own, short retention (IMPORT_UPLOAD_RETENTION_DAYS)."""
    from sanxin.imports.services import import_uploads_prune  # imports builds on accounts

    return import_uploads_prune()
