"""The API: raising, transitions with their error codes, the table, measures, hotline intake."""
import json

import pytest

from sanxin.cases.models import Case, CaseEvent

from .conftest import ANSWER, co_department, drive, raise_case


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_full_flow_through_the_api(district, client_for, co_handler_user):
    d = district
    raised = post(client_for(d.contact_a1), "/api/cases/cases", {
        "kind": "demand", "organization": d.a1.pk, "title": "天然气增容", "description": "新产线投产",
        "category": "utilities"})
    assert raised.status_code == 201
    case_id = raised.json()["id"]
    steps = [(d.district, "dispatch", {"lead_department": d.dept_f.pk, "co_handlers": [co_department().pk]}),
             (d.functional_user, "sign", {"note": "电话"}),
             (d.functional_user, "answer", {"answer": ANSWER}),
             (d.contact_a1, "rate", {"rating": "satisfied", "resolved": True}),
             (d.district, "close", {})]
    for actor, action, body in steps:
        client = client_for(actor)
        version = client.get(f"/api/cases/cases/{case_id}").json()["version"]
        response = post(client, f"/api/cases/cases/{case_id}/transitions/{action}", {**body, "version": version})
        assert response.status_code == 200, response.json()
    body = client_for(d.contact_a1).get(f"/api/cases/cases/{case_id}").json()
    assert body["state"] == "closed" and body["answer"] == ANSWER and body["allowed_actions"] == []
    timeline = client_for(d.contact_a1).get(f"/api/cases/cases/{case_id}/timeline").json()
    assert [e["action"] for e in timeline] == ["raise", "dispatch", "sign", "answer", "rate", "close"]
    # The co-handler saw it while it was dispatched and still does.
    assert client_for(co_handler_user).get(f"/api/cases/cases/{case_id}").status_code == 200


def test_transition_errors_have_codes_and_change_nothing(district, client_for):
    case = drive(district, raise_case(district), "dispatched")
    lead = client_for(district.functional_user)
    url = f"/api/cases/cases/{case.pk}/transitions"
    missing = post(lead, f"{url}/sign", {})
    assert missing.status_code == 422 and missing.json()["field"] == "note"
    wrong_state = post(lead, f"{url}/answer", {"answer": ANSWER})
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "invalid_state"
    stale = post(lead, f"{url}/sign", {"note": "电话", "version": case.version - 1})
    assert stale.status_code == 409 and stale.json()["code"] == "changed_meanwhile"
    forbidden = post(client_for(district.contact_a1), f"{url}/sign", {"note": "x"})
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    unknown = post(lead, f"{url}/fly", {})
    assert unknown.status_code == 422 and unknown.json()["field"] == "action"
    assert Case.objects.get(pk=case.pk).version == case.version


def test_raise_bad_input(district, client_for):
    client = client_for(district.contact_a1)
    response = post(client, "/api/cases/cases", {"kind": "problem", "organization": district.a1.pk,
                                                 "title": "x", "description": "y", "category": "other"})
    assert response.status_code == 422 and response.json()["field"] == "collector_level"
    response = post(client, "/api/cases/cases", {"kind": "demand", "organization": district.b1.pk,
                                                 "title": "x", "description": "y", "category": "other"})
    assert response.status_code == 422 and response.json()["field"] == "organization"
    assert Case.objects.count() == 0


def test_transition_table_is_published(district, client_for):
    table = client_for(district.contact_a1).get("/api/cases/transitions").json()
    rate = next(t for t in table if t["action"] == "rate")
    assert rate == {"action": "rate", "label": rate["label"], "sources": ["answered"], "target": "rated",
                    "allowed": ["contact", "officer"], "required": ["rating", "resolved"], "optional": ["note"]}
    assert len(table) == 15


def test_measures_endpoint_validates_group(district, client_for):
    client = client_for(district.district)
    planet = client.get("/api/cases/measures?group=planet")
    assert planet.status_code == 422 and planet.json()["code"] == "invalid_choice"
    assert planet.json()["field"] == "group"
    backwards = client.get("/api/cases/measures?start=2026-05-01&end=2026-01-01")
    assert backwards.status_code == 422 and backwards.json()["code"] == "invalid_period"
    assert client.get("/api/cases/measures?group=area").status_code == 200


HOTLINE = {"ticket": "12345-20260301-0001", "title": "停水三天", "description": "厂区停水",
           "category": "utilities", "urgency": "urgent"}


def test_hotline_intake_is_idempotent_and_reports_progress(district, client_for):
    client = client_for(district.district)
    body = {**HOTLINE, "credit_code": district.a1.credit_code}
    first = post(client, "/api/cases/hotline", body)
    assert first.status_code == 201 and first.json()["created"] is True
    again = post(client, "/api/cases/hotline", {**body, "title": "重复推送"})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["case_id"] == first.json()["case_id"]
    assert Case.objects.filter(hotline_ticket=HOTLINE["ticket"]).count() == 1
    case = Case.objects.get(hotline_ticket=HOTLINE["ticket"])
    assert case.source == "hotline" and case.urgency == "urgent"
    drive(district, case, "answered")
    progress = client.get(f"/api/cases/hotline/{HOTLINE['ticket']}").json()
    assert progress["state"] == "answered" and progress["answer"] == ANSWER
    assert {e["action"] for e in progress["events"]} == {"raise", "dispatch", "sign", "start", "answer"}
    # The enterprise's contact may follow its ticket; another enterprise's may not.
    assert client_for(district.contact_a1).get(f"/api/cases/hotline/{HOTLINE['ticket']}").status_code == 200
    assert client_for(district.officer_user).get(f"/api/cases/hotline/{HOTLINE['ticket']}").status_code == 404


@pytest.mark.parametrize(("change", "status", "field"), [
    ({"credit_code": "91500102MA00000000"}, 422, "credit_code"),
    ({"category": "nope"}, 422, "category"),
    ({"urgency": "asap"}, 422, "urgency"),
    ({"priority": "high"}, 422, "priority"),
])
def test_hotline_bad_input(district, client_for, change, status, field):
    body = {**HOTLINE, "credit_code": district.a1.credit_code, **change}
    response = post(client_for(district.district), "/api/cases/hotline", body)
    assert response.status_code == status and response.json()["field"] == field
    assert not Case.objects.exists()


def test_only_the_district_transfers_hotline_tickets(district, client_for):
    body = {**HOTLINE, "credit_code": district.a1.credit_code}
    response = post(client_for(district.contact_a1), "/api/cases/hotline", body)
    assert response.status_code == 403
    assert not CaseEvent.objects.exists()


def test_dispatch_to_an_industry_authority_is_refused(district, client_for):
    case = raise_case(district)
    response = post(client_for(district.district), f"/api/cases/cases/{case.pk}/transitions/dispatch",
                    {"lead_department": district.dept_x.pk})
    assert response.status_code == 422 and response.json()["field"] == "lead_department"
    assert "not a functional department" in response.json()["message"]
    assert Case.objects.get(pk=case.pk).state == "pending"
