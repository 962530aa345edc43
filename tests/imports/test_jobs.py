"""The job flow: progress polling, ownership, confirmation only once, problems download."""
import pytest

from sanxin.imports.models import ImportJob, JobStatus
from sanxin.registry.models import Organization

from .conftest import csv_bytes, org_row

pytestmark = pytest.mark.django_db


def test_progress_polls_while_running_and_stops_when_done(district, upload, client_for):
    job = upload(district.district, csv_bytes([org_row(), org_row()]))
    client = client_for(district.district)
    done = client.get(f"/imports/jobs/{job.pk}/progress/")
    assert done.status_code == 286  # htmx stops polling
    assert 'hx-trigger="every 1s"' not in done.content.decode()
    assert 'value="100"' in done.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.APPLYING, processed_rows=1, total_rows=4)
    running = client.get(f"/imports/jobs/{job.pk}/progress/")
    assert running.status_code == 200
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert 'value="25"' in running.content.decode()


def test_jobs_are_visible_to_their_uploader_only(district, upload, client_for):
    job = upload(district.district, csv_bytes([org_row()]))
    other = client_for(district.area_user)
    for path in ("", "progress/", "problems.csv"):
        assert other.get(f"/imports/jobs/{job.pk}/{path}").status_code == 404
    assert other.post(f"/imports/jobs/{job.pk}/confirm/").status_code == 404
    assert Organization.objects.count() == 3


def test_confirm_twice_imports_once(district, upload, confirm, client_for):
    job = upload(district.district, csv_bytes([org_row()]))
    confirm(district.district, job)
    again = client_for(district.district).post(f"/imports/jobs/{job.pk}/confirm/", follow=True)
    assert "Only a checked file" in again.content.decode() or "只有" in again.content.decode()
    assert Organization.objects.count() == 4


def test_problem_list_downloads_as_csv(district, upload, client_for):
    job = upload(district.district, csv_bytes([org_row(area="x1"), org_row(area="x2")]), language="en")
    text = b"".join(client_for(district.district).get(
        f"/imports/jobs/{job.pk}/problems.csv", HTTP_ACCEPT_LANGUAGE="en").streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "row,column,value,problem"
    assert lines[1].startswith("2,area,x1,")
    assert lines[2].startswith("3,area,x2,")


def test_job_page_shows_problems_and_confirm_button(district, upload, client_for):
    bad = upload(district.district, csv_bytes([org_row(area="x1")]), language="en")
    page = client_for(district.district).get(f"/imports/jobs/{bad.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "issue-table" in page and "x1" in page and "confirm-import" not in page
    good = upload(district.district, csv_bytes([org_row()]))
    page = client_for(district.district).get(f"/imports/jobs/{good.pk}/").content.decode()
    assert "confirm-import" in page
