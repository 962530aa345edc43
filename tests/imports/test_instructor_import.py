"""Party-building instructors (sanxin/party/importspecs.py): by ID, else name within the area; the
organizations listed become the current assignments (history kept, coverage summary current);
bad rows named by row and column in both languages, nothing written; scope; export round trip."""
import pytest

from sanxin.coverage import summary
from sanxin.imports.models import JobStatus
from sanxin.party.models import Instructor, InstructorAssignment

from .conftest import csv_bytes, messages_of

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "类别", "联系电话", "属地", "工作单位", "在岗", "指导单位"]


def state():
    return sorted((i.name, i.kind, i.phone, i.area.code, i.employer, i.active,
                   tuple(sorted(i.assignments.filter(ended_on__isnull=True).values_list("organization_id", flat=True))))
                  for i in Instructor.objects.select_related("area"))


def test_instructors_created_then_updated_by_name(district, upload, confirm):
    rows = [["李敏", "党建指导员", "13900001111", "敦仁街道", "敦仁街道党工委", "是", district.a1.credit_code],
            ["周强", "联络员", "", "500102007", "", "", f"{district.b1.credit_code}；"]]
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="instructors", language="en")
    assert (job.status, job.to_create) == (JobStatus.CHECKED, 2), messages_of(job)
    assert not Instructor.objects.exists()  # the dry run wrote nothing
    confirm(district.district, job)
    assert state() == [("周强", "liaison", "", "500102007", "", True, (district.b1.pk,)),
                       ("李敏", "instructor", "13900001111", "500102006", "敦仁街道党工委", True, (district.a1.pk,))]
    assert summary.differences() == {"organizations": [], "cells": []}
    rows[0][6] = f"{district.a2.credit_code}、{district.a1.pk}"  # a credit code and an ID
    rows[1][5] = "否"
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="instructors")
    assert (job.to_create, job.to_update) == (0, 2), messages_of(job)
    confirm(district.district, job)
    li = Instructor.objects.get(name="李敏")
    assert sorted(li.assignments.filter(ended_on__isnull=True).values_list("organization_id", flat=True)) == sorted(
        [district.a1.pk, district.a2.pk])
    assert not Instructor.objects.get(name="周强").active
    assert summary.differences() == {"organizations": [], "cells": []}
    rows[0][6] = district.a2.credit_code  # a1 ends, history kept
    confirm(district.district, upload(district.district, csv_bytes(rows, header=HEADER), target="instructors"))
    ended = InstructorAssignment.objects.get(instructor=li, organization=district.a1)
    assert ended.ended_on is not None
    assert summary.differences() == {"organizations": [], "cells": []}


def test_every_bad_row_is_named_and_nothing_changes(district, upload):
    Instructor.objects.create(name="重名", area=district.area_a)
    Instructor.objects.create(name="重名", area=district.area_a)
    rows = [["", "党建指导员", "", "500102006", "", "", ""],                   # 2: no name
            ["甲", "书记", "", "500102006", "", "", ""],                       # 3: kind
            ["乙", "", "123", "500102006", "", "", ""],                        # 4: phone
            ["丙", "", "", "500102999", "", "", ""],                           # 5: area
            ["丁", "", "", "500102006", "", "也许", ""],                        # 6: yes/no
            ["戊", "", "", "500102006", "", "", "91500102MA5U8XXX1X"],         # 7: unknown organization
            ["重名", "", "", "500102006", "新单位", "", ""],                    # 8: two of that name
            ["己", "", "139****1111", "500102006", "", "", ""]]                # 9: masked phone, new
    before = state()
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="instructors", language="en")
    assert job.status == JobStatus.REJECTED
    found = messages_of(job)
    assert [m.split("|")[:2] for m in found] == [
        ["2", "name"], ["3", "kind"], ["4", "phone"], ["5", "area"], ["6", "active"], ["7", "organizations"],
        ["8", "name"], ["9", "phone"]], found
    assert "Unknown value “书记”" in found[1]
    assert "91500102MA5U8XXX1X" in found[5]
    assert "ambiguous: use the ID" in found[6]
    assert state() == before
    chinese = upload(district.district, csv_bytes(rows[1:2], header=HEADER), target="instructors", language="zh-hans")
    assert messages_of(chinese) == ["2|类型|无法识别的值“书记”。"], messages_of(chinese)


def test_scope_of_the_importer(district, upload, client_for):
    theirs = Instructor.objects.create(name="乙街指导员", area=district.area_b)
    InstructorAssignment.objects.create(instructor=theirs, organization=district.b1)
    rows = [["甲街指导员", "", "", "500102006", "", "", district.a1.credit_code],
            ["乙街新人", "", "", "500102007", "", "", ""],                          # 3: area B is not theirs
            ["丙", "", "", "500102006", "", "", district.b1.credit_code]]          # 4: org outside scope
    job = upload(district.area_user, csv_bytes(rows, header=HEADER), target="instructors", language="en")
    assert [m.split("|")[0] for m in messages_of(job)] == ["3", "4"], messages_of(job)
    by_id = upload(district.area_user, csv_bytes([[theirs.pk, "改名", "500102006"]], header=["ID", "姓名", "属地"]),
                   target="instructors", language="en")
    assert "outside your scope" in messages_of(by_id)[0], messages_of(by_id)
    assert Instructor.objects.get(pk=theirs.pk).name == "乙街指导员"
    for user in (district.dept_user, district.contact_a1, district.officer_user):
        assert b'value="instructors"' not in client_for(user).get("/imports/").content
        assert client_for(user).get("/imports/templates/instructors.xlsx").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(district, upload, confirm, client_for, fmt):
    from tests.factories import OrganizationFactory

    site = OrganizationFactory(area=district.area_a, domain="new_employment", kind="courier", credit_code=None)
    li = Instructor.objects.create(name="李敏", area=district.area_a, phone="13812345678", employer="街道")
    for org in (district.a1, site):  # one without a credit code: exported by ID
        InstructorAssignment.objects.create(instructor=li, organization=org)
    response = client_for(district.area_user).get(f"/imports/export/instructors/?format={fmt}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert "138****5678" in content.decode("utf-8-sig")
    before = state()
    job = upload(district.area_user, content, name=f"instructors.{fmt}", target="instructors")
    assert (job.status, job.to_update, job.unchanged) == (JobStatus.CHECKED, 0, 1), messages_of(job)
    confirm(district.area_user, job)
    assert state() == before
