"""Running an ImportJob: the dry run, then the all-or-nothing import, with progress that another
request can poll while the work goes on (a Celery worker in deployments, inline when eager)."""
import logging
import time
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.core import pagecache
from sanxin.coverage import summary as coverage_summary

from .models import ImportIssue, ImportJob, JobStatus
from .pipeline import ProgressCallback, Report, process
from .specs import ImportSpec, get_spec

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


def discard_upload(job: ImportJob) -> None:
    """Delete the stored upload: it holds what was imported, ID numbers and phones in plain text,
    and is needed only between the dry run and the import (docs/operations.md, Personal data)."""
    if job.file:
        job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


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
            discard_upload(job)
            return job.status
        finally:
            progress.close()
        job.checked_at = timezone.now()
        _save_report(job, report, JobStatus.CHECKED if report.clean else JobStatus.REJECTED)
    if job.status != JobStatus.CHECKED:  # a rejected file is never imported: upload it again
        discard_upload(job)
    return job.status


def apply_file(spec: ImportSpec, actor: User, path: str, *, progress: ProgressCallback | None = None,
               on_applied: Callable[[Report], None] | None = None) -> Report:
    """Import the file in one transaction, or raise ImportAborted (nothing written).

    When this is the outermost transaction on PostgreSQL, a second connection does the existence
    checks, so that the rows can stream through one COPY (pipeline.StreamingWriter); inside an
    outer transaction (whose rows a second connection would not see) every write goes through
    the one connection. `on_applied` runs inside the transaction (the audit entry)."""
    reader = None
    if spec.copy_stream and connection.vendor == "postgresql" and not connection.in_atomic_block:
        reader = connections.create_connection(DEFAULT_DB_ALIAS)
        with reader.cursor() as cursor:
            # Its queries are key look-ups. The table's statistics date from before the import
            # (after a first load: an empty table), so the planner would scan it, and a scan
            # reads every row the open COPY has sent so far: quadratic in the file.
            cursor.execute("SET enable_seqscan = off")
    try:
        with transaction.atomic():
            started = timezone.now()
            report = process(spec, actor, path, write=True, progress=progress, reader=reader)
            if not report.clean:
                raise ImportAborted(report)
            if spec.summary_hook:  # rows went in by COPY / bulk_update, without signals
                coverage_summary.after_bulk_write(spec.model, since=started)
            pagecache.names_changed()   # names stored pages show may have changed without signals
            if on_applied is not None:
                on_applied(report)
    finally:
        if reader is not None:
            reader.close()
    return report


def _audit(job: ImportJob, report: Report) -> None:
    """One audit entry for the whole import: rows written by COPY and bulk updates send no
    per-row signals (docs/imports.md, Audit)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(ImportJob), object_pk=str(job.pk), object_id=job.pk,
        object_repr=str(job)[:200], action=LogEntry.Action.UPDATE, actor=job.user,
        changes={"status": [JobStatus.CHECKED.value, JobStatus.APPLIED.value]},
        additional_data={"target": job.target, "file": job.original_name, "rows": report.rows,
                         "created": report.to_create, "updated": report.to_update,
                         "unchanged": report.unchanged})


def run_apply(job_id: int) -> str:
    """Everything in one transaction: a problem or an error at the last row leaves nothing."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != JobStatus.APPLYING:
        return job.status
    spec = get_spec(job.target)
    with translation.override(job.language):
        progress = ProgressWriter(job, in_transaction=True)

        def applied(report: Report) -> None:
            _audit(job, report)
            job.applied_at = timezone.now()
            _save_report(job, report, JobStatus.APPLIED)

        try:
            apply_file(spec, job.user, job.file.path, progress=progress, on_applied=applied)
        except ImportAborted as aborted:
            _save_report(job, aborted.report, JobStatus.FAILED,
                         _("The data changed since the check: nothing was imported. Fix the problems "
                           "and upload the file again."))
        except Exception as exc:
            log.exception("import %s failed", job.pk)
            job.refresh_from_db()
            job.status = JobStatus.FAILED
            job.message = _("The import stopped on an error and nothing was changed: %(error)s") % {
                "error": exc.__class__.__name__}
            job.save(update_fields=["status", "message"])
        finally:
            progress.close()
    # Applied or failed, the file is done with (a failed import is uploaded again). A worker killed
    # before this line leaves it to the retention (services.import_uploads_prune).
    discard_upload(job)
    return job.status
