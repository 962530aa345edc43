"""Personal data around imports: problem reports (page, problems.csv) never echo a raw ID number or
phone from the uploaded file, and the stored upload is deleted once the job is done with it, or by
the daily cleanup after IMPORT_UPLOAD_RETENTION_DAYS."""
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxin.core.masking import mask_id_number, mask_personal_text, mask_phone
from sanxin.imports.models import ImportJob, JobStatus
from sanxin.imports.services import import_uploads_prune
from sanxin.party.models import Member

from .conftest import HEADER, csv_bytes, messages_of, org_row
from .test_party_import import M_HEADER, branch, id_number  # noqa: F401 - branch is a fixture

pytestmark = pytest.mark.django_db


def bad_checksum(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def everything_shown(client, job) -> str:
    """The dry-run page and the problems download, as the uploader sees them."""
    page = client.get(f"/imports/jobs/{job.pk}/")
    download = client.get(f"/imports/jobs/{job.pk}/problems.csv")
    assert page.status_code == download.status_code == 200
    return page.content.decode() + b"".join(download.streaming_content).decode("utf-8-sig") \
        if download.streaming else page.content.decode() + download.content.decode("utf-8-sig")


def test_member_problems_show_id_numbers_and_phones_masked(district, upload, client_for, branch):  # noqa: F811
    wrong = bad_checksum(id_number(3))
    short = id_number(4)[:15] + "1"  # 16 characters: the wrong length, still a person's number
    rows = [["甲", wrong, "甲一化工党支部", "", "", "", ""],
            ["乙", short, "甲一化工党支部", "", "", "", ""],
            ["丙", id_number(5), "甲一化工党支部", "", "", "", "1381234567x"]]
    job = upload(district.district, csv_bytes(rows, header=M_HEADER), target="members", language="en")
    assert job.status == JobStatus.REJECTED
    issues = {i.row: i for i in job.issues.all()}
    assert issues[2].value == mask_id_number(wrong) and issues[3].value == mask_id_number(short)
    assert issues[4].value == mask_phone("1381234567x")
    shown = everything_shown(client_for(district.district), job)
    for raw in (wrong, short, "1381234567x"):
        assert raw not in shown
    assert mask_id_number(wrong) in shown  # the uploader still sees which row it was
    assert "The check character of this ID number is wrong" in "\n".join(messages_of(job))
    assert not Member.objects.exists()


def test_an_id_number_in_another_column_is_masked_too(district, upload, client_for):
    """A column the spec does not know as personal: the report's second net masks what looks
    like an ID number or a mobile number, and leaves a credit code alone."""
    number = id_number(6)
    rows = [org_row(area=number), org_row(area="13912345678"),
            org_row(code="91500102MA5U7XYZ0")]  # a bad credit code, echoed as it was typed
    job = upload(district.district, csv_bytes(rows, header=HEADER), language="en")
    assert job.status == JobStatus.REJECTED
    shown = everything_shown(client_for(district.district), job)
    assert number not in shown and "13912345678" not in shown
    assert mask_id_number(number) in shown and mask_phone("13912345678") in shown
    assert "91500102MA5U7XYZ0" in shown


@pytest.mark.parametrize("target, header, row", [
    ("officers", ["账号", "姓名", "联系电话", "属地"], ["wangli", "王丽", "1390000111x", "500102006"]),
    ("instructors", ["姓名", "类别", "联系电话", "属地"], ["甲", "", "1390000111x", "500102006"]),
])
def test_officer_and_instructor_phones_are_masked_in_problems(district, upload, client_for,
                                                              target, header, row):
    job = upload(district.district, csv_bytes([row], header=header), target=target, language="en")
    assert job.status == JobStatus.REJECTED
    assert [i.value for i in job.issues.all() if i.column == "phone"] == [mask_phone("1390000111x")]
    assert "1390000111x" not in everything_shown(client_for(district.district), job)


def test_mask_personal_text():
    number = id_number(7)
    assert mask_personal_text(f"值“{number}”无效") == f"值“{mask_id_number(number)}”无效"
    assert mask_personal_text("电话 13812345678。") == "电话 138****5678。"
    old_form = "500102900101123"  # 15 digits, born 1990-01-01
    assert mask_personal_text(old_form) == mask_id_number(old_form)
    for kept in ("91500102MA5U7XYZ01", "12", "第 200000 行", "ID 12345678901234567890"):
        assert mask_personal_text(kept) == kept


def _stored(job) -> Path:
    job.refresh_from_db()
    return Path(job.file.path) if job.file else None


def test_upload_deleted_once_applied(district, upload, confirm):
    job = upload(district.district, csv_bytes([org_row()]))
    assert job.status == JobStatus.CHECKED
    path = _stored(job)
    assert path is not None and path.exists()  # needed until the import runs
    job = confirm(district.district, job)
    assert job.status == JobStatus.APPLIED
    assert _stored(job) is None and not path.exists()


def test_upload_deleted_when_rejected_or_failed(district, upload, confirm, monkeypatch):
    rejected = upload(district.district, csv_bytes([org_row(code="bad")]))
    assert rejected.status == JobStatus.REJECTED
    assert _stored(rejected) is None
    assert not list(Path(ImportJob._meta.get_field("file").storage.location).rglob("*.csv"))

    job = upload(district.district, csv_bytes([org_row()]))
    path = _stored(job)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr("sanxin.imports.jobs.process", broken)
    job = confirm(district.district, job)
    assert job.status == JobStatus.FAILED
    assert _stored(job) is None and not path.exists()


def test_retention_deletes_uploads_left_behind(district, upload, settings):
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 7
    old_checked = upload(district.district, csv_bytes([org_row()]))
    killed = upload(district.district, csv_bytes([org_row()]))
    ImportJob.objects.filter(pk=killed.pk).update(status=JobStatus.APPLYING)  # its worker died
    recent = upload(district.district, csv_bytes([org_row()]))
    paths = {job.pk: _stored(job) for job in (old_checked, killed, recent)}
    ImportJob.objects.filter(pk__in=[old_checked.pk, killed.pk]).update(
        created_at=timezone.now() - timedelta(days=8))

    call_command("audit_cleanup", days=365)  # the daily cleanup task runs the same

    for job in (old_checked, killed):
        assert _stored(job) is None and not paths[job.pk].exists()
        assert job.status == JobStatus.FAILED and "7" in job.message
    assert _stored(recent) == paths[recent.pk] and paths[recent.pk].exists()
    assert recent.status == JobStatus.CHECKED
    assert import_uploads_prune() == 0  # nothing left to delete


def test_reports_stored_before_masking_are_masked_by_the_migration(district):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sanxin.imports.migrations.0002_mask_stored_problems")
    number, short = id_number(8), id_number(9)[:16]
    job = ImportJob.objects.create(user=district.district, target="members", original_name="m.csv")
    rows = [("居民身份证号", short, "号码长度不对"), ("联系电话", "1391234567", "电话位数不对"),
            ("所在党组织", number, f"未知党组织“{number}”")]
    for column, value, message in rows:
        job.issues.create(row=2, column=column, value=value, message=message)
    migration.mask_stored(apps, None)
    stored = list(job.issues.order_by("id").values_list("value", "message"))
    assert stored == [(mask_id_number(short), "号码长度不对"), (mask_phone("1391234567"), "电话位数不对"),
                      (mask_id_number(number), f"未知党组织“{mask_id_number(number)}”")]
