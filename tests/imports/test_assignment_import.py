"""Assignments (sanxin/service/importspecs.py): who serves which enterprise, by credit code and
the officer's account; every bad input named by row, scope, history kept, export round trip."""
import pytest

from sanxin.imports.models import JobStatus
from sanxin.service.models import Assignment, AssignmentDetail, ServiceOfficer
from tests.factories import credit_code, user_with_role

from .conftest import csv_bytes, messages_of

pytestmark = pytest.mark.django_db
HEADER = ["统一社会信用代码", "单位名称", "助企服务员账号", "原因"]


def officer(username, area, capacity=5, active=True) -> ServiceOfficer:
    return ServiceOfficer.objects.create(user=user_with_role(username, "officer"), area=area,
                                         capacity=capacity, active=active, industries="C")


@pytest.fixture
def officers(district):
    return {"off_a": officer("off_a", district.area_a), "off_d": officer("off_d", None),
            "tired": officer("tired", district.area_a, active=False),
            "small": officer("small", district.area_a, capacity=1)}


def current(org) -> str:
    return Assignment.objects.get(organization=org, ended_at__isnull=True).officer.user.username


def test_assignments_are_imported_with_history(district, officers, upload, confirm):
    rows = [[district.a1.credit_code, district.a1.name, "off_a", "就近服务"],
            [district.a2.credit_code, "", "OFF_D", ""],
            [district.b1.credit_code, "", "officer", ""]]  # b1's current officer: unchanged
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="assignments", language="en")
    assert (job.status, job.to_create, job.to_update, job.unchanged) == (JobStatus.CHECKED, 0, 2, 1), messages_of(job)
    assert confirm(district.district, job).status == JobStatus.APPLIED
    assert (current(district.a1), current(district.a2), current(district.b1)) == ("off_a", "off_d", "officer")
    detail = AssignmentDetail.objects.get(assignment__organization=district.a1)
    assert (detail.source, detail.changed_by, detail.same_area, detail.industry_match) == (
        "import", district.district, True, True)
    moved = [[district.a1.credit_code, "", "off_d", "调整"]]
    confirm(district.district, upload(district.district, csv_bytes(moved, header=HEADER), target="assignments"))
    history = Assignment.objects.filter(organization=district.a1).order_by("id")
    assert [(a.officer.user.username, a.ended_at is None) for a in history] == [("off_a", False), ("off_d", True)]
    from sanxin.coverage import summary  # bulk writes, then the pipeline's hook: the served cells follow

    assert summary.differences() == {"organizations": [], "cells": []}
    assert summary.OrganizationCoverage.objects.get(pk=district.a2.pk).served


def test_every_bad_row_is_named_and_nothing_changes(district, officers, upload):
    from tests.factories import OrganizationFactory

    unknown, a3 = credit_code(), OrganizationFactory(area=district.area_a)
    rows = [[district.a1.credit_code, "", "nobody", ""],            # 2: unknown account
            [district.a2.credit_code, "", "tired", ""],             # 3: inactive officer
            [district.b1.credit_code, "", "off_a", ""],             # 4: officer of another area
            [unknown, "", "off_d", ""],                             # 5: organization not registered
            ["9.15001E+17", "", "off_d", ""],                       # 6: code Excel turned into a number
            [district.a1.credit_code, "", "off_d", ""],             # 7: a1 again
            [a3.credit_code, "", "", ""]]                           # 8: no officer
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="assignments", language="en")
    assert job.status == JobStatus.REJECTED
    found = messages_of(job)
    assert [m.split("|")[0] for m in found] == ["2", "3", "4", "5", "6", "7", "8"], found
    assert "No service officer has the account “nobody”." in found[0]
    assert "not active" in found[1]
    assert "belongs to another area" in found[2]
    assert f"{unknown} does not exist in your scope." in found[3]
    assert "Excel turned this code into a number" in found[4]
    assert "Duplicate key" in found[5]
    assert found[6] == "8|service officer account|This column is required."
    assert Assignment.objects.count() == 1 and AssignmentDetail.objects.count() == 0


def test_capacity_counts_the_rows_of_the_file(district, officers, upload, client_for):
    from tests.factories import OrganizationFactory

    a3 = OrganizationFactory(area=district.area_a)
    rows = [[district.a1.credit_code, "", "small", ""], [a3.credit_code, "", "small", ""]]
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="assignments", language="en")
    assert messages_of(job) == ["3|service officer account|This officer already serves 1 enterprises, the capacity."]


def test_scope_of_the_importer(district, officers, upload, client_for):
    rows = [[district.a1.credit_code, "", "off_a", ""], [district.b1.credit_code, "", "off_d", ""]]
    job = upload(district.area_user, csv_bytes(rows, header=HEADER), target="assignments", language="en")
    assert [m.split("|")[0] for m in messages_of(job)] == ["3"]
    assert "outside your scope" in messages_of(job)[0]
    page = client_for(district.dept_user).get("/imports/")
    assert b'value="assignments"' not in page.content
    assert client_for(district.dept_user).get("/imports/templates/assignments.csv").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(district, officers, upload, confirm, client_for, fmt):
    Assignment.objects.create(organization=district.a1, officer=officers["off_a"], reason="就近")
    response = client_for(district.district).get(f"/imports/export/assignments/?format={fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    before = list(Assignment.objects.values_list("id", "organization_id", "officer_id", "ended_at"))
    job = upload(district.district, content, name=f"assignments.{fmt}", target="assignments")
    assert (job.status, job.to_update, job.unchanged) == (JobStatus.CHECKED, 0, 2), messages_of(job)
    confirm(district.district, job)
    assert list(Assignment.objects.values_list("id", "organization_id", "officer_id", "ended_at")) == before


def test_template_downloads(district, client_for):
    client = client_for(district.district)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/imports/templates/assignments.{fmt}", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
    text = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(text) > 1000  # a workbook with its instructions sheet
