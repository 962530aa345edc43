"""Service officers (sanxin/service/importspecs.py, OfficerSpec): accounts with the officer role and
their records, by account name; bad rows named by row and column in both languages, nothing
written; the importer's areas; update by key; export round trip; templates."""
import pytest

from sanxin.accounts.models import Role
from sanxin.imports.models import JobStatus
from sanxin.service.models import AssignmentState, ServiceOfficer
from tests.factories import user_with_role

from .conftest import csv_bytes, messages_of, xlsx_bytes

pytestmark = pytest.mark.django_db
HEADER = ["账号", "姓名", "联系电话", "属地", "服务企业上限", "熟悉行业", "在岗"]


def officer_state():
    return sorted(ServiceOfficer.objects.values_list(
        "user__username", "user__full_name", "user__phone", "area__code", "capacity", "industries", "active"))


def test_officers_are_created_and_updated_by_account(district, upload, confirm):
    rows = [["wangli", "王丽", "13900001111", "500102006", "12", "c f", "是"],
            ["zhaoqiang", "赵强", "", "", "", "", ""],                 # district level, defaults
            ["officer", "助企服务员", "13900002222", "崇义街道", 20, "C", "否"]]  # existing officer, by area name
    version = AssignmentState.objects.get_or_create(pk=1)[0].version
    job = upload(district.district, xlsx_bytes(rows, header=HEADER, title_rows=[["助企服务员名册"]]),
                 name="officers.xlsx", target="officers", language="en")
    assert (job.status, job.to_create, job.to_update) == (JobStatus.CHECKED, 2, 1), messages_of(job)
    assert ServiceOfficer.objects.count() == 1  # the dry run wrote nothing
    assert confirm(district.district, job).status == JobStatus.APPLIED
    assert officer_state() == [
        ("officer", "助企服务员", "13900002222", "500102007", 20, "C", False),
        ("wangli", "王丽", "13900001111", "500102006", 12, "CF", True),
        ("zhaoqiang", "赵强", "", None, 15, "", True)]
    wangli = ServiceOfficer.objects.get(user__username="wangli").user
    assert Role.objects.filter(user=wangli, kind="officer").exists()
    assert not wangli.has_usable_password()  # an administrator sets it
    assert AssignmentState.objects.get(pk=1).version > version  # open optimizer plans are stale
    again = upload(district.district, xlsx_bytes(rows, header=HEADER), name="officers.xlsx", target="officers")
    assert (again.to_create, again.to_update, again.unchanged) == (0, 0, 3), messages_of(again)


def test_an_officer_account_without_its_record_gets_one(district, upload, confirm):
    user_with_role("liuyang", "officer")
    job = upload(district.district, csv_bytes([["LiuYang", "刘洋", "", "500102006", 8, "", ""]], header=HEADER),
                 target="officers")
    assert (job.status, job.to_update) == (JobStatus.CHECKED, 1), messages_of(job)
    confirm(district.district, job)
    assert ServiceOfficer.objects.get(user__username="liuyang").capacity == 8


def test_every_bad_row_is_named_and_nothing_changes(district, upload):
    rows = [["wangli", "王丽", "12345", "500102006", "", "", ""],          # 2: phone
            ["bad name!", "某某", "", "500102006", "", "", ""],             # 3: account characters
            ["li", "", "", "500102006", "", "", ""],                        # 4: no name
            ["zhou", "周", "", "500102999", "", "", ""],                    # 5: unknown area
            ["sun", "孙", "", "500102006", "0", "", ""],                    # 6: capacity below 1
            ["qian", "钱", "", "500102006", "", "CZ", ""],                  # 7: industry letter
            ["wu", "吴", "", "500102006", "", "", "也许"],                   # 8: yes/no
            ["area_a", "某街道干部", "", "500102006", "", "", ""],         # 9: an account without the role
            ["zhangsan", "张三", "", "500102006", "", "", ""],             # 10: fine
            ["ZhangSan", "张三", "", "500102006", "", "", ""],             # 11: the same account again
            ["chen", "陈", "139****1111", "500102006", "", "", ""]]        # 12: masked phone, new officer
    before = officer_state()
    job = upload(district.district, csv_bytes(rows, header=HEADER), target="officers", language="en")
    assert job.status == JobStatus.REJECTED
    found = messages_of(job)
    assert [m.split("|")[0] for m in found] == ["2", "3", "4", "5", "6", "7", "8", "9", "11", "12"], found
    assert [m.split("|")[1] for m in found[:8]] == [
        "phone", "account", "full name", "home area", "capacity", "industries known", "active", "account"], found
    assert "Unknown area “500102999”" in found[3]
    assert "not: Z" in found[5]
    assert "has no service-officer role" in found[7]
    assert "Duplicate key" in found[8]
    assert "masked phone" in found[9]
    assert officer_state() == before
    chinese = upload(district.district, csv_bytes(rows[7:8], header=HEADER), target="officers",
                     language="zh-hans")
    assert messages_of(chinese) == ["2|账号|此账号已存在，但没有助企服务员角色。"], messages_of(chinese)


def test_township_user_manages_officers_of_its_areas_only(district, upload, client_for):
    outside = ServiceOfficer.objects.get(user__username="officer")  # an officer of area B
    rows = [["newa", "新甲", "", "500102006", "", "", ""],               # fine
            ["newd", "新区级", "", "", "", "", ""],                       # 3: district level refused
            ["newb", "新乙", "", "500102007", "", "", ""],                # 4: area B is not theirs
            [outside.user.username, "改名", "", "500102006", "", "", ""]]  # 5: record outside the scope
    job = upload(district.area_user, csv_bytes(rows, header=HEADER), target="officers", language="en")
    found = messages_of(job)
    assert [m.split("|")[0] for m in found] == ["3", "4", "5"], found
    assert "Choose the area of the officer." in found[0]
    assert "outside your scope" in found[2]
    for user in (district.dept_user, district.contact_a1, district.officer_user):
        assert b'value="officers"' not in client_for(user).get("/imports/").content
        assert client_for(user).get("/imports/templates/officers.csv").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(district, upload, confirm, client_for, fmt):
    """The township user's export masks phones; importing it back changes nothing."""
    user = user_with_role("wangli", "officer")
    user.phone = "13812345678"
    user.save()
    ServiceOfficer.objects.create(user=user, area=district.area_a, capacity=9, industries="CF", latitude=29.7)
    response = client_for(district.area_user).get(f"/imports/export/officers/?format={fmt}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        assert "138****5678" in text and "13812345678" not in text and "officer," not in text
    before = officer_state()
    job = upload(district.area_user, content, name=f"officers.{fmt}", target="officers")
    assert (job.status, job.to_update, job.unchanged) == (JobStatus.CHECKED, 0, 1), messages_of(job)
    confirm(district.area_user, job)
    assert officer_state() == before


def test_templates(district, client_for):
    client = client_for(district.district)
    assert client.get("/imports/templates/officers.xlsx").status_code == 200
    response = client.get("/imports/templates/officers.csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
    header = (b"".join(response.streaming_content) if response.streaming else response.content
              ).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("账号*,"), header


def test_a_renamed_officer_sees_the_new_name_at_once(district, upload, confirm):
    """The import updates names with QuerySet.update() (no signal): the signed-in officer's
    cached user (sanxin/accounts/actors.py) must be dropped all the same."""
    from django.test import Client

    officer = Client()
    officer.force_login(district.officer_user)
    old_name = str(district.officer_user)
    assert old_name in officer.get("/accounts/password/").content.decode()   # cached now
    job = upload(district.district, csv_bytes([["officer", "新名字", "", "崇义街道", 10, "", ""]], header=HEADER),
                 target="officers")
    assert job.to_update == 1, messages_of(job)
    confirm(district.district, job)
    page = officer.get("/accounts/password/").content.decode()
    assert "新名字" in page and old_name not in page
