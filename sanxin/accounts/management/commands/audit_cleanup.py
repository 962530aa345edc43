from django.conf import settings
from django.core.management.base import BaseCommand

from sanxin.accounts.audit import AUDIT_MIN_RETENTION_DAYS
from sanxin.accounts.services import audit_cleanup


class Command(BaseCommand):
    help = (f"Deletes audit entries older than --days (default 365); entries younger than "
            f"{AUDIT_MIN_RETENTION_DAYS} days are always kept. Also prunes the API request log "
            f"(API_REQUEST_LOG_RETENTION_DAYS) and uploaded import files (IMPORT_UPLOAD_RETENTION_DAYS).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args, days: int, **options):
        result = audit_cleanup(older_than_days=days)
        self.stdout.write(
            f"Kept {result['days']} days; deleted {result['log_entries']} change entries and "
            f"{result['personal_data_reads']} personal-data reads; deleted "
            f"{result['api_requests']} API request log rows older than "
            f"{settings.API_REQUEST_LOG_RETENTION_DAYS} days and {result['import_uploads']} uploaded "
            f"import files older than {settings.IMPORT_UPLOAD_RETENTION_DAYS} days.")
