"""Writes of the import app: a job is created from an upload, checked, then confirmed."""
import os
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanxin.accounts.models import User

from . import tasks
from .jobs import discard_upload
from .models import RUNNING, ImportJob, JobStatus
from .specs import get_spec

ACCEPTED_EXTENSIONS = (".xlsx", ".csv", ".txt")


def import_job_create(*, actor: User, target: str, upload: UploadedFile) -> ImportJob:
    """Store the file and start its dry run; nothing of the data is written yet."""
    spec = get_spec(target)
    if spec is None or not spec.permitted(actor):
        raise PermissionDenied
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ACCEPTED_EXTENSIONS:
        raise ValidationError(_("Upload an .xlsx or .csv file (this one is “%(name)s”).")
                              % {"name": upload.name}, code="extension")
    if upload.size > settings.SANXIN_MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than %(mb)d MB: split it into several files.")
                              % {"mb": settings.SANXIN_MAX_UPLOAD_BYTES // (1024 * 1024)}, code="size")
    with transaction.atomic():
        job = ImportJob.objects.create(user=actor, target=target, file=upload,
                                       original_name=os.path.basename(upload.name)[:200],
                                       language=translation.get_language() or "zh-hans")
    tasks.check_job.delay(job.pk)
    job.refresh_from_db()
    return job


def import_job_confirm(*, actor: User, job: ImportJob) -> ImportJob:
    """Apply a checked file, all or nothing."""
    spec = get_spec(job.target)
    if job.user_id != actor.pk or spec is None or not spec.permitted(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status != JobStatus.CHECKED:
            raise ValidationError(_("Only a checked file without problems can be imported."), code="state")
        locked.status = JobStatus.APPLYING
        locked.processed_rows = 0
        locked.save(update_fields=["status", "processed_rows"])
    tasks.apply_job.delay(job.pk)
    locked.refresh_from_db()
    return locked


def import_uploads_prune(*, now: datetime | None = None) -> int:
    """System job (the daily cleanup): deletes the stored uploads that the jobs themselves did not
    (a checked file never confirmed, a worker killed mid-import) once older than
    IMPORT_UPLOAD_RETENTION_DAYS; such a job can no longer run and is marked failed. Returns how
    many files were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.IMPORT_UPLOAD_RETENTION_DAYS)
    deleted = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff).exclude(file=""):
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status == JobStatus.CHECKED or locked.status in RUNNING:
                with translation.override(locked.language):
                    locked.status = JobStatus.FAILED
                    locked.message = _("The uploaded file was deleted after %(days)d days without "
                                       "being imported: upload it again.") % {
                        "days": settings.IMPORT_UPLOAD_RETENTION_DAYS}
                locked.save(update_fields=["status", "message"])
        discard_upload(job)
        deleted += 1
    return deleted
