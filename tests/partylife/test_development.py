"""Member development: the time rules as named checks, next steps, and the stage flow."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sanxin.party.models import Member
from sanxin.partylife import rules, services
from sanxin.partylife.development import next_step, rule_warnings
from sanxin.partylife.models import Candidate
from sanxin.partylife.selectors import intake_progress

pytestmark = pytest.mark.django_db


def test_talk_within_a_month():
    applied = date(2025, 1, 15)
    assert rules.talk_deadline(applied) == date(2025, 2, 14)
    assert rules.talk_in_time(applied, date(2025, 2, 14), date(2025, 6, 1))
    assert not rules.talk_in_time(applied, date(2025, 2, 15), date(2025, 6, 1))
    assert rules.talk_in_time(applied, None, date(2025, 2, 14))       # still inside the month
    assert not rules.talk_in_time(applied, None, date(2025, 2, 15))   # overdue


def test_activist_at_least_a_year():
    assert rules.earliest_candidate_date(date(2024, 3, 1)) == date(2025, 3, 1)
    assert rules.earliest_candidate_date(date(2024, 2, 29)) == date(2025, 2, 28)


def test_probation_a_year_extensible_by_6_to_12_months():
    assert rules.probation_end(date(2025, 7, 1)) == date(2026, 7, 1)
    assert rules.probation_end(date(2025, 7, 1), 6) == date(2027, 1, 1)
    assert rules.probation_end(date(2025, 8, 31), 6) == date(2027, 2, 28)
    assert rules.probation_end(date(2025, 7, 1), 12) == date(2027, 7, 1)
    assert [m for m in range(0, 14) if rules.probation_valid_extension(m)] == [0, 6, 7, 8, 9,
                                                                               10, 11, 12]


def test_applicant_must_be_18(district, party):
    with pytest.raises(ValidationError) as exc:
        services.candidate_create(actor=district.district, name="小王",
                                  party_organization_id=party.branch_a1.pk,
                                  applied_on=date(2025, 5, 1), birth_date=date(2007, 5, 2))
    assert "birth_date" in exc.value.message_dict
    services.candidate_create(actor=district.district, name="小王",
                              party_organization_id=party.branch_a1.pk,
                              applied_on=date(2025, 5, 1), birth_date=date(2007, 5, 1))
    assert Candidate.objects.count() == 1


def advance(district, candidate, on, **kwargs):
    return services.candidate_advance(actor=district.district, candidate_id=candidate.pk, on=on,
                                      **kwargs)


def test_full_flow_with_the_time_rules(district, party):
    actor, members = district.district, party.a1_members
    candidate = services.candidate_create(actor=actor, name="李青", applied_on=date(2023, 3, 1),
                                          party_organization_id=party.branch_a1.pk,
                                          employer_id=district.a1.pk)
    assert next_step(candidate).label == "Talk with the applicant"
    with pytest.raises(ValidationError):
        advance(district, candidate, date(2023, 3, 20))          # talk first
    services.candidate_record_talk(actor=actor, candidate_id=candidate.pk,
                                   talked_on=date(2023, 4, 5))  # 35 days: late
    candidate.refresh_from_db()
    assert "No talk within a month of applying" in rule_warnings(candidate, date(2025, 1, 1))
    with pytest.raises(ValidationError) as exc:
        advance(district, candidate, date(2023, 4, 10))        # needs a contact member
    assert "contacts" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        advance(district, candidate, date(2023, 4, 10), contact_ids=[party.b1_members[0].pk])
    assert "contacts" in exc.value.message_dict
    candidate = advance(district, candidate, date(2023, 4, 10), contact_ids=[members[0].pk])
    assert candidate.stage == "activist"
    step = next_step(candidate)
    assert (step.stage, step.earliest) == ("candidate", date(2024, 4, 10))
    with pytest.raises(ValidationError) as exc:
        advance(district, candidate, date(2024, 4, 9))          # a day short of a year
    assert "2024-04-10" in exc.value.message_dict["on"][0]
    candidate = advance(district, candidate, date(2024, 4, 10))
    assert candidate.stage == "candidate"
    with pytest.raises(ValidationError) as exc:
        advance(district, candidate, date(2024, 7, 1), introducer_ids=[members[1].pk])
    assert "introducers" in exc.value.message_dict
    candidate = advance(district, candidate, date(2024, 7, 1),
                        introducer_ids=[members[1].pk, members[2].pk])
    assert candidate.stage == "probationary"
    member = Member.objects.get(pk=candidate.member_id)
    assert (member.status, member.party_organization, member.employer) == (
        "probationary", party.branch_a1, district.a1)
    assert next_step(candidate).earliest == date(2025, 7, 1)
    with pytest.raises(ValidationError):
        services.candidate_extend_probation(actor=actor, candidate_id=candidate.pk, months=3)
    services.candidate_extend_probation(actor=actor, candidate_id=candidate.pk, months=6)
    candidate.refresh_from_db()
    assert next_step(candidate).earliest == date(2026, 1, 1)
    with pytest.raises(ValidationError):
        advance(district, candidate, date(2025, 12, 31))
    candidate = advance(district, candidate, date(2026, 1, 1))
    assert candidate.stage == "full" and candidate.full_on == date(2026, 1, 1)
    member.refresh_from_db()
    assert member.status == "full"
    assert next_step(candidate).stage is None


def test_candidate_pages_and_api(district, party, client_for):
    client = client_for(district.contact_a1)
    response = client.post("/partylife/development/new/", {
        "name": "张红", "party_organization": party.branch_a1.pk, "applied_on": "2025-02-01"})
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    response = client.post(f"/partylife/development/{candidate.pk}/",
                           {"action": "talk", "on": "2025-01-20"})
    assert "before the application" in response.content.decode()
    response = client.post(f"/partylife/development/{candidate.pk}/",
                           {"action": "talk", "on": "2025-02-10"})
    assert response.status_code == 302
    body = client.get(f"/api/partylife/candidates/{candidate.pk}").json()
    assert (body["next_stage"], body["earliest"], body["warnings"]) == ("activist", "2025-02-10", [])
    response = client.post(f"/api/partylife/candidates/{candidate.pk}/advance",
                           {"on": "2025-02-12", "contact_ids": [party.a1_members[0].pk]},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["stage"] == "activist"
    response = client.post(f"/api/partylife/candidates/{candidate.pk}/advance",
                           {"on": "2025-06-01"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "on"


def test_intake_plans_against_admissions(district, party, client_for):
    services.intake_plan_save(actor=district.district, area_id=district.area_a.pk, year=2025,
                              planned=4)
    services.intake_plan_save(actor=district.district, area_id=district.area_a.pk, year=2025,
                              planned=6, note="一线职工")  # same area and year: updated
    for name, org in (("甲", party.branch_a1), ("乙", party.joint_a2), ("丙", party.branch_b1)):
        Candidate.objects.create(name=name, party_organization=org, applied_on=date(2023, 1, 1),
                                 stage="probationary", admitted_on=date(2025, 6, 1))
    rows = intake_progress(district.district, 2025)
    assert [(r["plan"].area.name, r["plan"].planned, r["admitted"]) for r in rows] == [
        ("敦仁街道", 6, 2)]
    response = client_for(district.area_user).post("/api/partylife/plans", {
        "area_id": district.area_a.pk, "year": 2025, "planned": -1},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "planned"
    response = client_for(district.area_user).post("/partylife/development/", {
        "area": district.area_a.pk, "year": 2026, "planned": 3})
    assert response.status_code == 302
    assert intake_progress(district.area_user, 2026)[0]["plan"].planned == 3
