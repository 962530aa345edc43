"""Study records, vanguard units and volunteering: totals, participation and bad input."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.partylife import services
from sanxin.partylife.models import StudyRecord, VanguardUnit, VolunteerActivity
from sanxin.partylife.selectors import study_totals, vanguard_counts, volunteer_totals

pytestmark = pytest.mark.django_db
DAY = date(2025, 5, 6)


def study(actor, member, hours, day=DAY, mode="offline"):
    return services.study_record_create(actor=actor, member_id=member.pk, studied_on=day,
                                        mode=mode, topic="《习近平谈治国理政》", hours=hours)


@pytest.mark.parametrize(("hours", "message"), [
    (-1, "negative hours"), (0, "more than 0"), (Decimal("24.5"), "cannot exceed 24"),
    ("abc", "must be a number")])
def test_study_hours_out_of_range(district, party, hours, message):
    with pytest.raises(ValidationError) as exc:
        study(district.district, party.a1_members[0], hours)
    assert message in exc.value.message_dict["hours"][0]
    assert not StudyRecord.objects.exists()


def test_study_hours_over_24_in_one_day_across_records(district, party, client_for):
    member = party.a1_members[0]
    study(district.district, member, 20)
    response = client_for(district.contact_a1).post("/api/partylife/study", {
        "member_id": member.pk, "studied_on": DAY.isoformat(), "mode": "online",
        "topic": "x", "hours": "4.5"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "hours" and "a day has 24" in response.json()["message"]
    study(district.district, member, 4)  # exactly 24 is fine
    study(district.district, member, 5, day=DAY + timedelta(days=1))
    assert StudyRecord.objects.count() == 3


def test_study_form_names_the_field(district, party, client_for):
    response = client_for(district.contact_a1).post("/partylife/study/new/", {
        "member": party.a1_members[0].pk, "studied_on": DAY.isoformat(), "mode": "online",
        "topic": "x", "hours": "-2"})
    assert response.status_code == 200
    assert "negative" in str(response.context["form"].errors["hours"])
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client_for(district.contact_a1).post("/partylife/study/new/", {
        "member": party.a1_members[0].pk, "studied_on": future, "mode": "online",
        "topic": "x", "hours": "2"})
    assert "future" in str(response.context["form"].errors["studied_on"])
    assert not StudyRecord.objects.exists()


def test_study_totals_and_participation(district, party):
    actor = district.district
    study(actor, party.a1_members[0], 2, mode="online")
    study(actor, party.a1_members[0], Decimal("1.5"), day=DAY + timedelta(days=3))
    study(actor, party.a1_members[1], 3)
    study(actor, party.b1_members[0], 1)
    study(actor, party.b1_members[0], 9, day=date(2024, 12, 31))  # other year
    by_branch = {r["name"]: r for r in study_totals(actor, 2025)}
    a1 = by_branch[party.branch_a1.name]
    assert (a1["hours"], a1["records"], a1["online"], a1["studied"], a1["members"]) == (
        Decimal("6.5"), 3, 1, 2, 8)
    assert a1["participation"] == 0.25
    by_area = {r["name"]: r for r in study_totals(actor, 2025, by="area")}
    assert by_area["敦仁街道"]["members"] == 11 and by_area["敦仁街道"]["studied"] == 2
    assert by_area["崇义街道"]["hours"] == Decimal(1)
    assert by_area["崇义街道"]["participation"] == 0.25


def test_vanguard_unit_members_must_belong(district, party, client_for):
    client = client_for(district.district)
    response = client.post("/api/partylife/vanguard", {
        "kind": "pioneer_post", "name": "先锋岗", "party_organization_id": party.branch_a1.pk,
        "member_ids": [party.a1_members[0].pk, party.b1_members[0].pk]},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "members"
    response = client.post("/api/partylife/vanguard", {
        "kind": "pioneer_post", "name": "先锋岗", "party_organization_id": party.branch_a1.pk,
        "organization_id": district.b1.pk}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "organization"
    response = client.post("/api/partylife/vanguard", {
        "kind": "flying_squad", "name": "x", "party_organization_id": party.branch_a1.pk},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "kind"
    assert not VanguardUnit.objects.exists()
    response = client.post("/api/partylife/vanguard", {
        "kind": "production_line", "name": "党员生产线", "party_organization_id": party.branch_a1.pk,
        "organization_id": district.a1.pk, "goals": "零事故",
        "member_ids": [m.pk for m in party.a1_members[:3]]}, content_type="application/json")
    assert response.status_code == 201
    detail = client.get(f"/api/partylife/vanguard/{response.json()['id']}").json()
    assert detail["member_ids"] == sorted(m.pk for m in party.a1_members[:3])


def test_vanguard_counts_by_kind_and_area(district, party):
    actor = district.district
    for org, kind in [(party.branch_a1, "pioneer_post"), (party.branch_a1, "pioneer_post"),
                      (party.joint_a2, "research_team"), (party.branch_b1, "pioneer_post")]:
        services.vanguard_unit_create(actor=actor, kind=kind, name="u", party_organization_id=org.pk)
    counts = vanguard_counts(actor)
    assert counts["by_kind"] == {"pioneer_post": 3, "research_team": 1}
    assert {a["party_organization__area__code"]: a["n"] for a in counts["by_area"]} == {
        "500102006": 3, "500102007": 1}
    assert vanguard_counts(district.area_user)["by_kind"] == {"pioneer_post": 2, "research_team": 1}


def test_achievement_date_cannot_be_future(district, party):
    unit = services.vanguard_unit_create(actor=district.district, kind="commando", name="突击队",
                                         party_organization_id=party.branch_a1.pk)
    with pytest.raises(ValidationError):
        services.achievement_add(actor=district.district, unit_id=unit.pk,
                                 achieved_on=timezone.localdate() + timedelta(days=1), title="x")
    assert not unit.achievements.exists()


def volunteer(actor, org, participants, **extra):
    data = {"party_organization_id": org.pk, "held_on": DAY, "place": "社区广场",
            "kind": "environment", "title": "环境清洁", "beneficiaries": 30}
    data.update(extra)
    return services.volunteer_activity_record(actor=actor, participants=participants, **data)


def test_volunteer_bad_input_saves_nothing(district, party):
    actor, members = district.district, party.a1_members
    cases = [
        ([services.ParticipantInput(members[0].pk, 25)], {}, "participants"),
        ([services.ParticipantInput(members[0].pk, -1)], {}, "participants"),
        ([services.ParticipantInput(party.b1_members[0].pk, 2)], {}, "participants"),
        ([services.ParticipantInput(members[0].pk, 2)] * 2, {}, "participants"),
        ([], {"beneficiaries": -3}, "beneficiaries"),
        ([], {"held_on": timezone.localdate() + timedelta(days=1)}, "held_on"),
        ([], {"kind": "partying"}, "kind"),
    ]
    for participants, extra, field in cases:
        with pytest.raises(ValidationError) as exc:
            volunteer(actor, party.branch_a1, participants, **extra)
        assert field in exc.value.message_dict, (participants, extra)
    assert not VolunteerActivity.objects.exists()


def test_volunteer_totals_per_member_team_and_organization(district, party, client_for):
    actor, members = district.district, party.a1_members
    team = services.vanguard_unit_create(actor=actor, kind="volunteer_team", name="志愿队",
                                         party_organization_id=party.branch_a1.pk)
    volunteer(actor, party.branch_a1, [services.ParticipantInput(members[0].pk, 2),
                                       services.ParticipantInput(members[1].pk, 3)],
              team_id=team.pk)
    volunteer(actor, party.branch_a1, [services.ParticipantInput(members[0].pk, "1.5")],
              kind="caring", title="关爱留守儿童")
    by_member = {r["member__name"]: r for r in volunteer_totals(actor, "member")}
    assert by_member[members[0].name]["hours"] == Decimal("3.5")
    assert by_member[members[0].name]["activities"] == 2
    by_team = {r["activity__team__name"]: r for r in volunteer_totals(actor, "team")}
    assert by_team["志愿队"]["hours"] == Decimal(5) and by_team[None]["hours"] == Decimal("1.5")
    by_org = volunteer_totals(actor, "organization")
    assert (by_org[0]["activities"], by_org[0]["participants"], by_org[0]["hours"]) == (
        2, 2, Decimal("6.5"))
    other_team = services.vanguard_unit_create(actor=actor, kind="volunteer_team", name="乙队",
                                               party_organization_id=party.branch_b1.pk)
    with pytest.raises(ValidationError) as exc:
        volunteer(actor, party.branch_a1, [], team_id=other_team.pk)
    assert "team" in exc.value.message_dict
    response = client_for(district.district).post(
        f"/partylife/volunteering/new/?org={party.branch_a1.pk}",
        {"org": party.branch_a1.pk, "held_on": DAY.isoformat(), "title": "敬老", "kind": "caring",
         "place": "敬老院", "beneficiaries": 12, "hours": "2", "participant": [members[2].pk]})
    assert response.status_code == 302
    assert VolunteerActivity.objects.get(title="敬老").total_hours == Decimal(2)


def test_vanguard_members_set_on_the_page(district, party, client_for):
    unit = services.vanguard_unit_create(actor=district.district, kind="pioneer_post",
                                         name="先锋岗", party_organization_id=party.branch_a1.pk)
    client = client_for(district.contact_a1)
    response = client.post(f"/partylife/vanguard/{unit.pk}/", {
        "action": "members", "members": [party.a1_members[0].pk, party.b1_members[0].pk]})
    assert response.status_code == 200 and not unit.members.exists()  # b1's member: not offered
    response = client.post(f"/partylife/vanguard/{unit.pk}/", {
        "action": "members", "members": [party.a1_members[0].pk, party.a1_members[1].pk]})
    assert response.status_code == 302
    assert set(unit.members.all()) == set(party.a1_members[:2])
    with pytest.raises(ValidationError):
        services.vanguard_unit_set_members(actor=district.district, unit_id=unit.pk,
                                           member_ids=[party.b1_members[0].pk])
    assert set(unit.members.all()) == set(party.a1_members[:2])
