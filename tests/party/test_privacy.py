"""A member's data exported for the member and erased on request: district only, audited, and
the aggregates (counts and rates) unchanged by erasure."""
import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.management import CommandError, call_command

from sanxin.accounts.models import PersonalDataRead
from sanxin.party.models import Member, PartyOrganization
from sanxin.partylife.models import Attendance, VolunteerParticipation
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
AGGREGATES = ["/api/partylife/volunteering/totals", "/api/partylife/study/totals",
              "/api/partylife/compliance", "/api/partylife/absences", "/api/dashboard/figures",
              "/api/coverage/rates", "/api/partylife/vanguard/counts"]


@pytest.fixture
def demo_member(db):
    call_command("demo", scale=0.01, verbosity=0, stdout=StringIO())
    member = (Member.objects.filter(role="member", attendance__isnull=False,
                                    volunteer_participations__isnull=False)
              .exclude(id_number="").distinct().first())
    assert member is not None
    return member


def aggregates(client) -> dict:
    figures = {}
    for url in AGGREGATES:
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, url
        figures[url] = response.json()
    return figures


def test_export_is_everything_about_the_member_for_the_district_only(demo_member, client):
    district = user_with_role("privacy-district", "district")
    client.force_login(district)
    assert 'id="member-erase"' in client.get(f"/party/members/{demo_member.pk}/").content.decode()
    response = client.get(f"/party/members/{demo_member.pk}/data.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["member"]["id_number"] == demo_member.id_number  # for the member: unmasked
    assert len(data["attendance"]) == Attendance.objects.filter(member=demo_member).count() > 0
    assert len(data["volunteering"]) == \
        VolunteerParticipation.objects.filter(member=demo_member).count() > 0
    read = PersonalDataRead.objects.get(channel="export", object_id=str(demo_member.pk))
    assert read.actor == district
    area = user_with_role("privacy-area", "area", area=demo_member.party_organization.area)
    client.force_login(area)  # sees the member, but data rights are the district's
    assert client.get(f"/party/members/{demo_member.pk}/data.json").status_code == 403
    assert client.get(f"/party/members/{demo_member.pk}/erase/").status_code == 403


def test_erasure_pseudonymises_and_keeps_every_aggregate(demo_member, client):
    district = user_with_role("privacy-district", "district")
    client.force_login(district)
    before = aggregates(client)
    old_name, old_number = demo_member.name, demo_member.id_number
    members_before = Member.objects.filter(party_organization=demo_member.party_organization).count()
    response = client.post(f"/party/members/{demo_member.pk}/erase/",
                           {"reason": "本人申请 2026-17", "confirm": "on"})
    assert response.status_code == 302
    member = Member.objects.get(pk=demo_member.pk)
    assert member.erased_at and member.name != old_name
    assert (member.id_number, member.id_digest, member.phone, member.birth_date) == ("", None, "", None)
    assert aggregates(client) == before
    assert Member.objects.filter(party_organization=member.party_organization).count() == members_before
    for entry in LogEntry.objects.all():  # nothing left of the old values, audit trail included
        text = json.dumps([entry.changes, entry.serialized_data], ensure_ascii=False)
        assert old_name not in text and old_number not in text and entry.object_repr != old_name
    entry = LogEntry.objects.filter(object_pk=str(member.pk), additional_data__erasure=True).get()
    assert entry.actor == district and entry.additional_data["reason"] == "本人申请 2026-17"
    response = client.get(f"/party/members/{member.pk}/erase/")
    assert "already erased" in response.content.decode() or "已" in response.content.decode()


def test_office_holders_are_not_erased_and_a_reason_is_required(branches, client):
    demo_member, secretary = branches["ma"], branches["mb"]
    Member.objects.filter(pk=secretary.pk).update(role="secretary")
    district = user_with_role("privacy-district", "district")
    client.force_login(district)
    response = client.post(f"/party/members/{secretary.pk}/erase/",
                           {"reason": "本人申请", "confirm": "on"})
    assert response.status_code == 200 and response.context["refusal"]
    assert Member.objects.get(pk=secretary.pk).erased_at is None
    response = client.post(f"/party/members/{demo_member.pk}/erase/", {"reason": "本人申请"})
    assert "confirm" in response.context["form"].errors
    assert Member.objects.get(pk=demo_member.pk).erased_at is None


def test_command_exports_and_erases(branches, tmp_path):
    demo_member = branches["ma"]
    user_with_role("privacy-district", "district")
    user_with_role("privacy-officer", "officer")
    target = tmp_path / "member.json"
    call_command("member_data", "export", demo_member.pk, actor="privacy-district",
                 output=str(target))
    assert json.loads(target.read_text())["member"]["name"] == demo_member.name
    with pytest.raises(CommandError, match="not a district user"):
        call_command("member_data", "erase", demo_member.pk, actor="privacy-officer", reason="x")
    with pytest.raises(CommandError, match="原因|reason"):
        call_command("member_data", "erase", demo_member.pk, actor="privacy-district")
    call_command("member_data", "erase", demo_member.pk, actor="privacy-district",
                 reason="申请", stdout=StringIO())
    assert Member.objects.get(pk=demo_member.pk).erased_at is not None
    assert PartyOrganization.objects.filter(pk=demo_member.party_organization_id).exists()
