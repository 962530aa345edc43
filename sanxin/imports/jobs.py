"""Running an ImportJob: the dry run, then the all-or-nothing import, with progress that another
request can poll while the work goes on (a Celery worker in deployments, inline when eager)."""
import logging
import time

from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportIssue, ImportJob, JobStatus
from .pipeline import Report, process
from .specs import get_spec

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5


class ImportAborted(Exception):
    def __init__(self, report: Report):
        super().__init__("import aborted")
        self.report = report


class ProgressWriter:
    """Writes processed/total to the job row at most twice a second.

    During the import the work runs inside one transaction, whose writes nobody else sees until
    the end; on PostgreSQL the progress therefore goes through a second connection of its own.
    SQLite allows one writer at a time, so there the bar jumps at the end."""

    def __init__(self, job: ImportJob, *, in_transaction: bool):
        self.job_id = job.pk
        self.last = 0.0
        self.side = None
        self.enabled = True
        if in_transaction:
            if connection.vendor == "postgresql":
                self.side = connections.create_connection("default")
            else:
                self.enabled = False

    def __call__(self, processed: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        total = max(total or 0, processed)
        if self.side is None:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=processed, total_rows=total)
            return
        with self.side.cursor() as cursor:
            cursor.execute(f"UPDATE {ImportJob._meta.db_table} SET processed_rows = %s, total_rows = %s "
                           "WHERE id = %s", [processed, total, self.job_id])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _save_report(job: ImportJob, report: Report, status: str, message: str = "") -> None:
    job.issues.all().delete()
    ImportIssue.objects.bulk_create(
        [ImportIssue(job=job, row=p.row, column=p.column[:60], value=p.value[:200], message=p.message[:300])
         for p in report.problems], batch_size=1000)
    job.status = status
    job.header_row = report.header_row
    job.total_rows = report.rows
    job.processed_rows = report.rows
    job.to_create, job.to_update, job.unchanged = report.to_create, report.to_update, report.unchanged
    job.issue_count = report.problem_count
    job.message = message
    job.save()


def run_check(job_id: int) -> str:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    spec = get_spec(job.target)
    with translation.override(job.language):
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.CHECKING, processed_rows=0)
        progress = ProgressWriter(job, in_transaction=False)
        try:
            report = process(spec, job.user, job.file.path, write=False, progress=progress)
        except Exception:
            log.exception("import check %s failed", job.pk)
            job.status, job.message = JobStatus.FAILED, _("The check stopped on an unexpected error.")
            job.save(update_fields=["status", "message"])
            return job.status
        finally:
            progress.close()
        job.checked_at = timezone.now()
        _save_report(job, report, JobStatus.CHECKED if report.clean else JobStatus.REJECTED)
    return job.status


def run_apply(job_id: int) -> str:
    """Everything in one transaction: a problem or an error at the last row leaves nothing."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != JobStatus.APPLYING:
        return job.status
    spec = get_spec(job.target)
    with translation.override(job.language):
        progress = ProgressWriter(job, in_transaction=True)
        try:
            with transaction.atomic():
                report = process(spec, job.user, job.file.path, write=True, progress=progress)
                if not report.clean:
                    raise ImportAborted(report)
        except ImportAborted as aborted:
            _save_report(job, aborted.report, JobStatus.FAILED,
                         _("The data changed since the check: nothing was imported. Fix the problems "
                           "and upload the file again."))
            return job.status
        except Exception as exc:
            log.exception("import %s failed", job.pk)
            job.refresh_from_db()
            job.status = JobStatus.FAILED
            job.message = _("The import stopped on an error and nothing was changed: %(error)s") % {
                "error": exc.__class__.__name__}
            job.save(update_fields=["status", "message"])
            return job.status
        finally:
            progress.close()
        job.applied_at = timezone.now()
        _save_report(job, report, JobStatus.APPLIED)
    return job.status
