"""Helpers to build the files districts really send: CSV in several encodings, .xlsx with title
rows, blank rows and numbers where codes should be."""
import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sanxin.imports.models import ImportJob
from tests.factories import credit_code

HEADER = ["统一社会信用代码", "名称", "领域", "类型", "属地", "行业", "从业人数", "联系电话"]


def org_row(code=None, name="重庆新导入有限公司", area="500102006", employees=12,
            phone="13900001111", domain="enterprise", kind="company", industry="C"):
    return [credit_code() if code is None else code, name, domain, kind, area, industry, employees, phone]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig", title_rows=()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for title in title_rows:
        writer.writerow(title)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER, title_rows=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append(list(title))
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(client_for):
    """upload(user, content, name=..., target=...) → the ImportJob after its dry run."""

    def send(user, content: bytes, name="orgs.csv", target="organizations", language=None):
        client = client_for(user)
        headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        response = client.post("/imports/", {"target": target, "file": SimpleUploadedFile(name, content)},
                               **headers)
        assert response.status_code == 302, response.content.decode()[:2000]
        return ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))

    return send


@pytest.fixture
def confirm(client_for):
    def send(user, job):
        response = client_for(user).post(f"/imports/jobs/{job.pk}/confirm/")
        assert response.status_code == 302
        job.refresh_from_db()
        return job

    return send


def messages_of(job) -> list[str]:
    return [f"{i.row}|{i.column}|{i.message}" for i in job.issues.all()]
