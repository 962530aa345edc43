"""Fault: an import process killed with SIGKILL in the middle of the file leaves the database as
it was (PostgreSQL rolls back the dead backend's transaction). PostgreSQL only: the test process
and the killed one must share a database, and SQLite's test database lives in memory."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from sanxin.imports.models import ImportJob, JobStatus
from sanxin.imports.services import import_job_create
from sanxin.registry.models import Organization

from ..factories import credit_code
from ..imports.conftest import HEADER, csv_bytes, org_row

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
            f"{s['NAME']}")


@pytest.mark.django_db(transaction=True)
def test_import_killed_mid_file_changes_nothing(district, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database shared with a second process (PostgreSQL)")
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [org_row(code=credit_code(), name=f"断电测试单位{i}") for i in range(ROWS)]
    upload = SimpleUploadedFile("orgs.csv", csv_bytes(rows, header=HEADER), "text/csv")
    job = import_job_create(actor=district.district, target="organizations", upload=upload)
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED, list(job.issues.values_list("row", "column", "message")[:3])
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.APPLYING, processed_rows=0)
    before = sorted(Organization.objects.values_list("id", "name", "employees"))

    env = {**os.environ, "DATABASE_URL": _database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    code = ("import django; django.setup(); from sanxin.imports.jobs import run_apply; "
            f"run_apply({job.pk})")
    worker = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    progressed = 0
    while time.monotonic() < deadline and worker.poll() is None:
        progressed = ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job.pk)
        if progressed > 0:
            break
        time.sleep(0.05)
    assert worker.poll() is None, "the import finished before it could be killed: use more rows"
    assert progressed > 0, "the import never reported progress"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)

    after = sorted(Organization.objects.values_list("id", "name", "employees"))
    assert after == before
    assert not Organization.objects.filter(name__startswith="断电测试单位").exists()
