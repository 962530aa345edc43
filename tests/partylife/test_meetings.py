"""Recording meetings: the quick page, the API, make-ups, and bad input that saves nothing."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.party.models import Member
from sanxin.partylife import services
from sanxin.partylife.models import Attendance, Meeting

pytestmark = pytest.mark.django_db


def quick_post(client, org, **extra):
    data = {"org": org.pk, "kind": "theme_day", "held_on": "2025-03-01", "topic": "学习二十大精神"}
    data.update(extra)
    return client.post("/partylife/meetings/new/", data)


def test_quick_form_defaults_every_member_present(district, party, client_for):
    client = client_for(district.contact_a1)
    page = client.get("/partylife/meetings/new/")  # one organization in scope: preselected
    assert page.context["org"] == party.branch_a1
    assert all(checked for _m, checked, _r in page.context["rows"])
    assert len(page.context["rows"]) == 8
    form = page.context["form"]
    assert form["kind"].value() == "theme_day"
    assert form["held_on"].value() == timezone.localdate()


def test_quick_form_unticked_are_absent_or_on_leave(district, party, client_for):
    members = party.a1_members
    response = quick_post(client_for(district.contact_a1), party.branch_a1,
                          present=[m.pk for m in members[:6]],
                          **{f"reason_{members[6].pk}": "夜班"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.expected_count, meeting.present_count, meeting.leave_count,
            meeting.absent_count) == (8, 6, 1, 1)
    assert Attendance.objects.get(member=members[6]).reason == "夜班"
    assert meeting.recorded_by == district.contact_a1


def test_member_not_in_the_branch_is_refused_and_nothing_saved(district, party, client_for):
    outsider = party.b1_members[0]
    response = quick_post(client_for(district.district), party.branch_a1,
                          present=[m.pk for m in party.a1_members] + [outsider.pk])
    assert response.status_code == 200
    assert f"{outsider.name} is not a member of {party.branch_a1.name}" in \
        " ".join(response.context["form"].non_field_errors())
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_future_meeting_cannot_be_held(district, party, client_for):
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = quick_post(client_for(district.district), party.branch_a1, held_on=future,
                          present=[m.pk for m in party.a1_members])
    assert "cannot be recorded as held" in str(response.context["form"].errors["held_on"])
    assert not Meeting.objects.exists()
    response = quick_post(client_for(district.district), party.branch_a1, held_on=future,
                          planned="on")
    assert response.status_code == 302
    planned = Meeting.objects.get()
    assert planned.status == "planned" and planned.expected_count == 0


def test_today_can_be_held(district, party):
    meeting = services.meeting_record(actor=district.district,
                                      party_organization_id=party.joint_a2.pk, kind="lecture",
                                      held_on=timezone.localdate(), topic="党课")
    assert meeting.present_count == 3


def test_api_attendance_above_membership(district, party, client_for):
    client = client_for(district.district)
    payload = {"party_organization_id": party.joint_a2.pk, "kind": "branch_general",
               "held_on": "2025-05-05", "topic": "t", "expected_count": 4, "present_count": 4}
    response = client.post("/api/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "expected_count"
    assert "above the membership" in body["message"] and "(3)" in body["message"]
    payload.update(expected_count=3, present_count=4)
    response = client.post("/api/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "present_count"
    assert not Meeting.objects.exists()
    payload.update(expected_count=3, present_count=2)
    response = client.post("/api/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["expected_count"], response.json()["absent_count"]) == (3, 1)


def test_api_duplicate_or_outside_member(district, party, client_for):
    client = client_for(district.district)
    member = party.a2_members[0]
    payload = {"party_organization_id": party.joint_a2.pk, "kind": "theme_day",
               "held_on": "2025-05-05", "topic": "t",
               "attendance": [{"member_id": member.pk}, {"member_id": member.pk}]}
    response = client.post("/api/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 422 and "listed twice" in response.json()["message"]
    payload["attendance"] = [{"member_id": party.a1_members[0].pk}]
    response = client.post("/api/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 422 and "is not a member of" in response.json()["message"]
    payload["attendance"] = [{"member_id": member.pk, "status": "sleeping"}]
    response = client.post("/api/partylife/meetings", payload, content_type="application/json")
    assert response.status_code == 422
    assert not Meeting.objects.exists()


def test_api_committee_meeting_counts_members_of_child_branches(district, party, client_for):
    party.branch_a1.parent = party.joint_a2
    party.branch_a1.save()
    response = client_for(district.district).post(
        "/api/partylife/meetings", {"party_organization_id": party.joint_a2.pk,
                                    "kind": "lecture", "held_on": "2025-05-05", "topic": "t"},
        content_type="application/json")
    assert response.json()["expected_count"] == 11


def test_make_up_for_shift_workers(district, party, client_for):
    members = party.a1_members
    meeting = services.meeting_record(
        actor=district.district, party_organization_id=party.branch_a1.pk, kind="theme_day",
        held_on=date(2025, 3, 1), topic="t",
        attendance=[services.AttendanceInput(m.pk) for m in members[:7]]
        + [services.AttendanceInput(members[7].pk, "absent")])
    client = client_for(district.contact_a1)
    response = client.post(f"/partylife/meetings/{meeting.pk}/",
                           {"member": members[7].pk, "made_up_on": "2025-02-01"})
    assert "before the meeting" in response.content.decode()
    response = client.post(f"/partylife/meetings/{meeting.pk}/",
                           {"member": members[0].pk, "made_up_on": "2025-03-05"})
    assert "nothing to make up" in response.content.decode()
    response = client.post(f"/partylife/meetings/{meeting.pk}/",
                           {"member": members[7].pk, "made_up_on": "2025-03-05", "note": "补学"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.absent_count, meeting.made_up_count) == (1, 1)
    assert meeting.attendance_rate == 1.0
    api = client.post(f"/api/partylife/meetings/{meeting.pk}/make-up",
                      {"member_id": members[0].pk, "made_up_on": "2025-03-05"},
                      content_type="application/json")
    assert api.status_code == 422 and api.json()["field"] == "member"


def test_make_up_counts_for_an_earlier_period_only(district, party):
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(actor=district.district, party_organization_id=party.joint_a2.pk,
                                kind="theme_day", held_on=date(2025, 3, 1), topic="t",
                                counts_for=date(2025, 3, 2))
    assert "counts_for" in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_repeated_absences_are_listed(district, party, client_for):
    member = party.b1_members[0]
    today = timezone.localdate()
    for days in (10, 40, 70):
        services.meeting_record(
            actor=district.district, party_organization_id=party.branch_b1.pk, kind="theme_day",
            held_on=today - timedelta(days=days), topic="t",
            attendance=[services.AttendanceInput(m.pk, "absent" if m == member else "present")
                        for m in party.b1_members])
    other = party.b1_members[1]
    Attendance.objects.filter(member=other).update(status="leave", reason="病假")
    listed = client_for(district.district).get("/partylife/absences/").context["page"]
    assert [(m.name, m.absences) for m in listed] == [(member.name, 3)]
    Attendance.objects.filter(member=member).order_by("id").first().__class__.objects.filter(
        pk=Attendance.objects.filter(member=member).order_by("id").first().pk).update(
        made_up_on=today)
    listed = client_for(district.district).get("/partylife/absences/").context["page"]
    assert list(listed) == []
    assert Member.objects.filter(pk=member.pk).exists()


def test_department_cannot_record(district, party, client_for):
    response = client_for(district.dept_user).post(
        "/api/partylife/meetings", {"party_organization_id": party.branch_a1.pk,
                                    "kind": "theme_day", "held_on": "2025-03-01", "topic": "t"},
        content_type="application/json")
    assert response.status_code == 403
    assert client_for(district.dept_user).get("/partylife/meetings/new/").status_code == 403
    assert not Meeting.objects.exists()


def test_api_message_in_chinese_for_chinese_users(district, party, client_for):
    response = client_for(district.district).post(
        "/api/partylife/meetings", {"party_organization_id": party.branch_a1.pk,
                                    "kind": "theme_day", "held_on": "2099-01-01", "topic": "t"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 422
    assert "不能记为已召开" in response.json()["message"]
