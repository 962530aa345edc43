"""A large file through a real Celery worker on Redis: the job's progress advances while the
worker checks and imports, and a file that fails at its last row leaves the database as it was."""
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from sanxin.imports.models import ImportJob, JobStatus
from sanxin.registry.models import Organization
from tests.celery_worker import real_worker
from tests.factories import credit_code

from .conftest import csv_bytes, org_row

ROWS = 12_000  # six chunks of 2,000: the progress is written at most twice a second

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker process must share the test database"),
]


def job_for(user, rows) -> ImportJob:
    job = ImportJob(user=user, target="organizations", original_name="large.csv", language="en")
    job.file.save("large.csv", ContentFile(csv_bytes(rows)), save=False)
    job.save()
    return job


def run(worker, task: str, job: ImportJob, timeout: float = 240) -> tuple[str, list[tuple[str, int]]]:
    """Send the task and watch the job row as the job page's progress bar does."""
    result = worker.send(task, job.pk)
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while not result.ready() and time.monotonic() < deadline:
        state = ImportJob.objects.values_list("status", "processed_rows").get(pk=job.pk)
        if not seen or seen[-1] != state:
            seen.append(state)
        time.sleep(0.05)
    return result.get(timeout=5), seen


def test_large_file_through_a_real_worker_with_progress(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = job_for(district.district, [org_row(name=f"重庆后台{i}有限公司") for i in range(ROWS)])
    with real_worker(MEDIA_ROOT=str(tmp_path)) as worker:
        checked, check_progress = run(worker, "imports.check_job", job)
        assert checked == JobStatus.CHECKED, worker.output
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.APPLYING, processed_rows=0)
        applied, apply_progress = run(worker, "imports.apply_job", job)
    assert applied == JobStatus.APPLIED, worker.output
    for progress, status in ((check_progress, JobStatus.CHECKING), (apply_progress, JobStatus.APPLYING)):
        partial = [n for s, n in progress if s == status and 0 < n < ROWS]
        assert partial and partial == sorted(partial), progress  # the bar moved, forwards only
    job.refresh_from_db()
    assert (job.to_create, job.processed_rows, job.total_rows) == (ROWS, ROWS, ROWS)
    assert Organization.objects.count() == 3 + ROWS


def test_file_failing_at_its_last_row_on_a_worker_changes_nothing(district, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    last = credit_code()
    rows = [org_row() for _ in range(ROWS - 1)] + [org_row(code=last)]
    job = job_for(district.area_user, rows)
    before = sorted(Organization.objects.values_list("credit_code", "name", "employees"))
    with real_worker(MEDIA_ROOT=str(tmp_path)) as worker:
        checked, _progress = run(worker, "imports.check_job", job)
        assert checked == JobStatus.CHECKED, worker.output
        # meanwhile the last code is registered in area B, outside the uploader's scope
        Organization.objects.create(credit_code=last, name="乙二后来登记有限公司", domain="enterprise",
                                    kind="company", area=district.area_b, industry="C")
        before.append((last, "乙二后来登记有限公司", None))
        ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.APPLYING, processed_rows=0)
        failed, _progress = run(worker, "imports.apply_job", job)
    assert failed == JobStatus.FAILED, worker.output
    job.refresh_from_db()
    assert [(i.row, i.value) for i in job.issues.all()] == [(ROWS + 1, last)]
    assert sorted(Organization.objects.values_list("credit_code", "name", "employees")) == sorted(before)
