"""The import's fast path on PostgreSQL (one COPY open across the file, existence read through a
second connection) and what every path shares: one record named twice, the audit entry."""
import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import translation

from sanxin.imports import pipeline
from sanxin.imports.jobs import ImportAborted, apply_file
from sanxin.imports.models import ImportJob, JobStatus
from sanxin.imports.specs import get_spec
from sanxin.registry.models import Organization

from .conftest import HEADER, csv_bytes, org_row

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="the streaming COPY path is PostgreSQL's")


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes(rows, header=header))
    return str(path)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_streamed_import_inserts_and_updates_across_chunks(district, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 7)  # updates in the middle close and reopen the COPY
    new = [org_row(name=f"重庆流式{i}有限公司", employees=i) for i in range(30)]
    changed = org_row(code=district.a1.credit_code, name=district.a1.name, employees=77)
    rows = new[:10] + [changed] + new[10:]
    calls = []
    original = pipeline.StreamingWriter.flush

    def spy(self, creates, updates):
        calls.append((len(creates), len(updates), self.stream.is_open))
        original(self, creates, updates)

    monkeypatch.setattr(pipeline.StreamingWriter, "flush", spy)
    report = apply_file(get_spec("organizations"), district.district, write(tmp_path, rows))
    assert (report.rows, report.to_create, report.to_update) == (31, 30, 1)
    assert len(calls) == 5 and calls[1][2], "the COPY stays open from one chunk to the next"
    assert Organization.objects.count() == 33
    district.a1.refresh_from_db()
    assert district.a1.employees == 77
    assert Organization.objects.get(credit_code=new[29][0]).employees == 29


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_streamed_import_failing_at_the_last_row_leaves_nothing(district, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 5)
    rows = [org_row() for _ in range(23)]
    rows.append(org_row(code=district.b1.credit_code, name="乙一机械有限公司"))  # area B: outside area A's scope
    with pytest.raises(ImportAborted) as aborted:
        apply_file(get_spec("organizations"), district.area_user, write(tmp_path, rows))
    assert [p.row for p in aborted.value.report.problems] == [25]
    assert Organization.objects.count() == 3


@pytest.mark.django_db
def test_one_record_named_twice_is_refused(district, tmp_path):
    by_code = org_row(code=district.a1.credit_code, name=district.a1.name, employees=5)
    by_id = [district.a1.pk, "", district.a1.name, "enterprise", "company", "500102006", "C", 6, ""]
    header = ["ID", *HEADER]
    rows = [["", *by_code], by_id]
    with pytest.raises(ImportAborted) as aborted, translation.override("en"):
        apply_file(get_spec("organizations"), district.district, write(tmp_path, rows, header=header))
    assert [(p.row, p.message) for p in aborted.value.report.problems] == [
        (3, "Row 2 of this file already changes the same record.")]


@pytest.mark.django_db
def test_an_applied_import_leaves_one_audit_entry(district, upload, confirm):
    job = upload(district.district, csv_bytes([org_row(), org_row(code=district.a1.credit_code,
                                                                 name=district.a1.name, employees=99)]))
    job = confirm(district.district, job)
    assert job.status == JobStatus.APPLIED
    entry = LogEntry.objects.get(content_type__model="importjob", object_pk=str(job.pk))
    assert entry.actor == district.district
    assert entry.additional_data == {"target": "organizations", "file": "orgs.csv", "rows": 2,
                                     "created": 1, "updated": 1, "unchanged": 0}
    assert not LogEntry.objects.filter(content_type__model="organization", object_pk=str(district.a1.pk),
                                       action=LogEntry.Action.UPDATE).exists()
    assert ImportJob.objects.get(pk=job.pk).applied_at is not None
