"""Party organizations and members through the same pipeline: keys, scope, masking, bad input."""
import pytest

from sanxin.imports.models import JobStatus
from sanxin.party.models import Member, PartyOrganization

from .conftest import csv_bytes, messages_of

pytestmark = pytest.mark.django_db

PO_HEADER = ["名称", "类型", "属地", "覆盖单位", "支委会人数"]
M_HEADER = ["姓名", "身份证号", "所在党组织", "性别", "党员类别", "工作单位", "联系电话"]


def id_number(serial: int) -> str:
    from tests.party.builders import id_number as valid_id_number

    return valid_id_number(seq=serial)


@pytest.fixture
def branch(district):
    po = PartyOrganization.objects.create(name="甲一化工党支部", kind="branch", area=district.area_a)
    po.units.set([district.a1])
    return po


def test_party_organizations_created_with_covered_units_then_updated_by_name(district, upload, confirm):
    rows = [["甲二商贸党支部", "党支部", "敦仁街道", district.a2.credit_code, 3],
            ["敦仁联合党支部", "joint_branch", "500102006", f"{district.a1.credit_code}；{district.a2.credit_code}", 0]]
    job = upload(district.area_user, csv_bytes(rows, header=PO_HEADER), target="party_organizations")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    confirm(district.area_user, job)
    joint = PartyOrganization.objects.get(name="敦仁联合党支部")
    assert joint.kind == "joint_branch" and joint.unit_count == 2
    assert set(joint.units.all()) == {district.a1, district.a2}
    rows[0][4] = 5
    job = upload(district.area_user, csv_bytes(rows, header=PO_HEADER), target="party_organizations")
    assert (job.to_create, job.to_update, job.unchanged) == (0, 1, 1), messages_of(job)
    confirm(district.area_user, job)
    assert PartyOrganization.objects.get(name="甲二商贸党支部").committee_size == 5


def test_party_organization_bad_input(district, upload):
    rows = [["乙", "小组", "500102006", "", 0],
            ["丙", "branch", "500102007", "", 0],                       # outside the area user's scope
            ["丁", "branch", "500102006", district.b1.credit_code, 0]]  # covers an org outside scope
    job = upload(district.area_user, csv_bytes(rows, header=PO_HEADER), target="party_organizations",
                 language="en")
    assert job.status == JobStatus.REJECTED
    text = "\n".join(messages_of(job))
    assert "2|kind|Unknown value “小组”" in text
    assert "3|area|Unknown area" in text
    assert ("4|covered organizations|No organization in your scope with the credit code(s) "
            f"{district.b1.credit_code}") in text
    assert not PartyOrganization.objects.exists()


def test_members_created_and_updated_by_id_number(district, upload, confirm, branch):
    number = id_number(1)
    rows = [["张三", number, "甲一化工党支部", "男", "正式党员", district.a1.credit_code, "13900000001"],
            ["李四", id_number(2), str(branch.pk), "女", "预备党员", "", ""]]
    job = upload(district.district, csv_bytes(rows, header=M_HEADER), target="members")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    confirm(district.district, job)
    zhang = Member.objects.get(name="张三")
    assert (zhang.gender, zhang.status, zhang.employer, zhang.party_organization) == ("M", "full", district.a1, branch)
    assert zhang.id_digest  # the "one record per person" key is set though the rows were bulk inserted
    rows[0][0] = "张三丰"
    job = upload(district.district, csv_bytes(rows, header=M_HEADER), target="members")
    assert (job.to_create, job.to_update, job.unchanged) == (0, 1, 1), messages_of(job)
    confirm(district.district, job)
    assert Member.objects.get(pk=zhang.pk).name == "张三丰"
    assert Member.objects.count() == 2


def test_member_bad_input(district, upload, branch):
    good = id_number(3)
    rows = [["甲", good[:-1] + ("0" if good[-1] != "0" else "1"), "甲一化工党支部", "", "", "", ""],
            ["乙", 5.00102199e17, "甲一化工党支部", "", "", "", ""],
            ["丙", id_number(4), "不存在党支部", "", "", "", ""],
            ["丁", id_number(5), "甲一化工党支部", "未知", "", "", ""],
            ["戊", good, "甲一化工党支部", "", "", "", ""],
            ["己", good, "甲一化工党支部", "", "", "", ""],
            ["庚", "500102********1234", "甲一化工党支部", "", "", "", ""]]
    job = upload(district.district, csv_bytes(rows, header=M_HEADER), target="members", language="en")
    assert job.status == JobStatus.REJECTED
    text = "\n".join(messages_of(job))
    assert "2|resident ID number|The check character of this ID number is wrong" in text
    assert "3|resident ID number|" in text
    assert "4|party organization|Unknown party organization “不存在党支部”" in text
    assert "5|gender|Unknown value “未知”" in text
    assert "7||Duplicate key this ID number: already in row 6" in text
    assert "8|resident ID number|The resident ID number is required" in text
    assert not Member.objects.exists()


def test_members_need_a_party_role(district, client_for):
    assert client_for(district.dept_user).get("/imports/templates/members.xlsx").status_code == 404


def test_village_or_community_party_organizations(district, upload, confirm):
    """The 村/社区 flag (a 5-year committee term) is imported, updated by name, and a bad value named."""
    header = [*PO_HEADER, "村/社区", "本届任期开始"]
    rows = [["敦仁社区党委", "党委", "500102006", "", 5, "是", "2024-01-10"],
            ["甲二商贸党支部", "党支部", "500102006", "", 3, "", "2024-01-10"]]
    job = upload(district.area_user, csv_bytes(rows, header=header), target="party_organizations")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    confirm(district.area_user, job)
    community, company = (PartyOrganization.objects.get(name=n) for n in ("敦仁社区党委", "甲二商贸党支部"))
    assert (community.village_or_community, company.village_or_community) == (True, False)
    assert (community.effective_term_end.year, company.effective_term_end.year) == (2029, 2027)
    rows[0][5] = "否"
    job = upload(district.area_user, csv_bytes(rows, header=header), target="party_organizations")
    assert (job.to_update, job.unchanged) == (1, 1), messages_of(job)
    confirm(district.area_user, job)
    assert not PartyOrganization.objects.get(name="敦仁社区党委").village_or_community
    rows[1][5] = "可能"
    job = upload(district.area_user, csv_bytes(rows, header=header), target="party_organizations", language="en")
    assert messages_of(job) == ["3|village or community (村/社区)|Expected yes or no (是/否), found “可能”."]
