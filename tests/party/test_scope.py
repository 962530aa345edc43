"""Party organizations and members: each role sees exactly its part, on pages, exports and the
API; personal data is masked unless the role needs it, and each unmasked read is recorded."""
import io

import pytest
from openpyxl import load_workbook

from sanxin.accounts.models import PersonalDataRead
from sanxin.core.masking import mask_id_number

pytestmark = pytest.mark.django_db

# which of the two branches (a covers a1 in area A, b covers b1 in area B) each role sees
EXPECTED = {"district": {"a", "b"}, "area": {"a"}, "department": {"a", "b"}, "functional": set(),
            "organization": {"a"}, "officer": {"b"}}


@pytest.mark.parametrize("role", EXPECTED)
def test_party_org_list_detail_and_api(branches, district, client_for, role):
    client = client_for(district.users()[role])
    shown = {po.name for po in client.get("/party/organizations/").context["page"]}
    assert shown == {branches[k].name for k in EXPECTED[role]}
    api = client.get("/api/party/organizations").json()
    assert {r["name"] for r in api["results"]} == shown
    for key in ("a", "b"):
        po = branches[key]
        page = client.get(f"/party/organizations/{po.pk}/")
        detail = client.get(f"/api/party/organizations/{po.pk}")
        expected = 200 if key in EXPECTED[role] else 404
        assert (page.status_code, detail.status_code) == (expected, expected)
        if expected == 404:
            assert po.name not in page.content.decode()


@pytest.mark.parametrize("role", EXPECTED)
def test_member_list_detail_export_and_api(branches, district, client_for, role):
    client = client_for(district.users()[role])
    expected = {branches["m" + k].name for k in EXPECTED[role]}
    assert {m.name for m, _ in client.get("/party/members/").context["rows"]} == expected
    assert {r["name"] for r in client.get("/api/party/members").json()["results"]} == expected
    sheet = load_workbook(io.BytesIO(b"".join(
        client.get("/party/members/export/").streaming_content))).active
    assert {r[1] for r in list(sheet.iter_rows(values_only=True))[2:]} == expected
    for key in ("a", "b"):
        m = branches["m" + key]
        status = 200 if key in EXPECTED[role] else 404
        assert client.get(f"/party/members/{m.pk}/").status_code == status
        assert client.get(f"/api/party/members/{m.pk}").status_code == status


def test_masked_for_roles_without_need_and_nothing_recorded(branches, district, client_for):
    client = client_for(district.area_user)
    member = branches["ma"]
    body = client.get(f"/party/members/{member.pk}/").content.decode()
    assert member.id_number not in body and mask_id_number(member.id_number) in body
    assert "138****5678" in body
    api = client.get(f"/api/party/members/{member.pk}").json()
    assert api["id_number"] == mask_id_number(member.id_number) and api["phone"] == "138****5678"
    csv = b"".join(client.get("/party/members/export/", {"format": "csv"}).streaming_content).decode()
    assert member.id_number not in csv and mask_id_number(member.id_number) in csv
    assert member.id_number not in client.get("/party/members/").content.decode()
    assert not PersonalDataRead.objects.exists()


def test_unmasked_reads_are_recorded_per_channel(branches, district, client_for):
    client = client_for(district.district)  # sees_personal_data
    member = branches["ma"]
    assert member.id_number in client.get(f"/party/members/{member.pk}/").content.decode()
    assert client.get(f"/api/party/members/{member.pk}").json()["id_number"] == member.id_number
    client.get("/party/members/")
    b"".join(client.get("/party/members/export/").streaming_content)
    reads = PersonalDataRead.objects.filter(actor=district.district,
                                            content_type__model="member")
    assert reads.filter(object_id=str(member.pk), channel="page").count() == 1
    assert reads.filter(object_id=str(member.pk), channel="api").count() == 1
    assert reads.filter(object_id="", channel="page", rows=2).count() == 1  # the list
    assert reads.filter(object_id="", channel="export", rows=2).count() == 1
    assert reads.count() == 4


def test_lookup_by_full_id_number_uses_the_digest(branches, district, client_for):
    client = client_for(district.district)
    member = branches["mb"]
    found = client.get("/party/members/", {"id_number": member.id_number.lower()}).context["rows"]
    assert [m.pk for m, _ in found] == [member.pk]
    # a partial number finds nothing: no substring search on ID numbers
    assert client.get("/party/members/", {"id_number": member.id_number[:10]}).context["rows"] == []
    # out of scope: the area user cannot find B's member even with the full number
    found = client_for(district.area_user).get("/party/members/", {"id_number": member.id_number})
    assert found.context["rows"] == []


def test_instructor_list_scope(district, client_for):
    from tests.party.builders import instructor

    instructor(district.area_a, [district.a1], name="甲指导员")
    instructor(district.area_b, [district.b1], name="乙指导员")
    seen = {i.name for i in client_for(district.area_user).get("/party/instructors/").context["page"]}
    assert seen == {"甲指导员"}
    seen = {i.name for i in client_for(district.officer_user).get("/party/instructors/").context["page"]}
    assert seen == {"乙指导员"}
    seen = {r["name"] for r in client_for(district.dept_user).get("/api/party/instructors").json()["results"]}
    assert seen == {"甲指导员", "乙指导员"}


@pytest.mark.parametrize("role", EXPECTED)
def test_party_org_export_holds_exactly_the_scope(branches, district, client_for, role):
    response = client_for(district.users()[role]).get("/party/organizations/export/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert {r[1] for r in list(sheet.iter_rows(values_only=True))[2:]} == {
        branches[k].name for k in EXPECTED[role]}


# which of the two instructors (甲 serves a1 in area A, 乙 serves b1 in area B) each role sees
INSTRUCTORS = {"district": {"甲指导员", "乙指导员"}, "area": {"甲指导员"},
               "department": {"甲指导员", "乙指导员"}, "functional": set(),
               "organization": {"甲指导员"}, "officer": {"乙指导员"}}


@pytest.mark.parametrize("role", INSTRUCTORS)
def test_instructor_page_and_api_follow_every_role(district, client_for, role):
    from tests.party.builders import instructor

    instructor(district.area_a, [district.a1], name="甲指导员")
    instructor(district.area_b, [district.b1], name="乙指导员")
    client = client_for(district.users()[role])
    assert {i.name for i in client.get("/party/instructors/").context["page"]} == INSTRUCTORS[role]
    assert {r["name"] for r in client.get("/api/party/instructors").json()["results"]} == INSTRUCTORS[role]


def test_edit_pages_outside_the_scope_are_404(branches, district, client_for):
    from tests.party.builders import instructor

    other = instructor(district.area_b, [district.b1], name="乙指导员")
    client = client_for(district.area_user)
    for url in (f"/party/organizations/{branches['b'].pk}/edit/", f"/party/members/{branches['mb'].pk}/edit/",
                f"/party/instructors/{other.pk}/edit/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "改名"}).status_code == 404
    assert branches["b"].__class__.objects.get(pk=branches["b"].pk).name == "乙一党支部"
