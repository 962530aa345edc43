"""Major projects (next milestone, delay) and the API's answers to bad input."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.service import selectors, services
from sanxin.service.models import Assignment, MajorProject, Milestone, ServiceOfficer, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(district):
    project = MajorProject.objects.create(name="乙一扩能项目", organization=district.b1,
                                          officer=district.officer, department=district.dept_x)
    Milestone.objects.create(project=project, kind="signed", planned_on=date(2026, 1, 10),
                             actual_on=date(2026, 1, 12))
    Milestone.objects.create(project=project, kind="landed", planned_on=date(2026, 3, 1))
    Milestone.objects.create(project=project, kind="custom", label="环评批复",
                             planned_on=date(2026, 2, 1))
    Milestone.objects.create(project=project, kind="producing", planned_on=date(2026, 9, 1))
    return project


def test_next_milestone_is_the_earliest_unreached_and_delay_counts_days(project):
    progress = selectors.project_progress(project, date(2026, 2, 11))
    assert progress.next_milestone.title == "环评批复"
    assert progress.delay_days == 10
    assert progress.late_done == 1 and progress.last_reached.kind == "signed"
    assert selectors.project_progress(project, date(2026, 2, 1)).delay_days == 0


def test_reaching_milestones_moves_the_next_one(project, district):
    custom = project.milestones.get(kind="custom")
    services.milestone_reach(actor=district.officer_user, milestone=custom,
                             actual_on=date(2026, 2, 5), today=date(2026, 2, 11))
    progress = selectors.project_progress(project, date(2026, 3, 4))
    assert progress.next_milestone.kind == "landed" and progress.delay_days == 3
    with pytest.raises(ValidationError) as info:
        services.milestone_reach(actor=district.officer_user,
                                 milestone=project.milestones.get(kind="landed"),
                                 actual_on=date(2026, 3, 5), today=date(2026, 3, 4))
    assert "actual_on" in info.value.message_dict


def test_project_page_lists_delay_and_records_problems(project, district, client_for):
    client = client_for(district.officer_user)
    page = client.get("/service/projects/")
    row = page.context["rows"][0]
    assert row.next_milestone is not None and row.project == project
    response = client.post(f"/service/projects/{project.pk}/", {"text": " "})
    assert response.status_code == 200 and response.context["problem_form"].errors["text"]
    client.post(f"/service/projects/{project.pk}/", {"text": "用地手续待办"})
    assert project.problems.get().text == "用地手续待办"
    outsider = client_for(district.contact_a1)
    assert outsider.post(f"/service/projects/{project.pk}/", {"text": "x"}).status_code == 404


def test_custom_milestone_needs_a_name(project):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(project=project, kind="custom", planned_on=date(2026, 1, 1))


def test_api_creates_officer_and_names_bad_fields(district, client_for):
    from tests.factories import user_with_role

    user_with_role("newbie", "officer")
    client = client_for(district.district)
    for capacity in (0, -1):
        response = client.post("/api/service/officers", {"username": "newbie", "capacity": capacity,
                                                          "area_code": district.area_a.code},
                               content_type="application/json")
        assert response.status_code == 422
        assert response.json()["field"] == "capacity"
    response = client.post("/api/service/officers", {"username": "newbie", "capacity": 8,
                                                      "area_code": "999"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "area"
    assert not ServiceOfficer.objects.filter(user__username="newbie").exists()
    response = client.post("/api/service/officers", {"username": "newbie", "capacity": 8,
                                                      "area_code": district.area_a.code,
                                                      "industries": "cf"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["industries"] == "CF"


def test_api_visit_rules(district, client_for):
    client = client_for(district.officer_user)
    today = timezone.localdate()
    body = {"organization_id": district.b1.pk, "visited_on": (today + timedelta(days=1)).isoformat(),
            "met_person": "张", "discussed": "生产", "demands": ["用工"]}
    response = client.post("/api/service/visits", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "visited_on"
    body.update(visited_on=today.isoformat(), organization_id=district.a1.pk)
    response = client.post("/api/service/visits", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "organization"
    assert not Visit.objects.exists()
    body.update(organization_id=district.b1.pk)
    response = client.post("/api/service/visits", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["demands"] == ["用工"]
    response = client_for(district.district).post("/api/service/visits", body,
                                                   content_type="application/json")
    assert response.status_code == 403


def test_api_preview_infeasible_then_apply_and_stale(district, client_for, officer_a):
    client = client_for(district.district)
    officer_a.capacity = 1
    officer_a.save()
    body = client.post("/api/service/optimizer/preview", {"mode": "assign"},
                       content_type="application/json").json()
    assert body["status"] == "infeasible"
    assert body["shortages"] == [{"area_code": "500102006", "area": "敦仁街道", "enterprises": 2,
                                  "capacity": 1, "missing": 1}]
    assert client.post(f"/api/service/optimizer/plans/{body['id']}/apply").status_code == 422
    officer_a.capacity = 5
    officer_a.save()
    first = client.post("/api/service/optimizer/preview", {"mode": "assign"},
                        content_type="application/json").json()
    second = client.post("/api/service/optimizer/preview", {"mode": "rebalance"},
                         content_type="application/json").json()
    assert len(first["changes"]) == 2
    assert client.post(f"/api/service/optimizer/plans/{first['id']}/apply").json() == {
        "changed": 2}
    stale = client.post(f"/api/service/optimizer/plans/{second['id']}/apply")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    response = client.post("/api/service/optimizer/preview", {"mode": "bogus"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "mode"


def test_api_override_refuses_other_area_officer(district, client_for, officer_a):
    client = client_for(district.district)
    response = client.post(f"/api/service/organizations/{district.b1.pk}/assignment",
                           {"officer_id": officer_a.pk, "reason": "调整"},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "officer"
    response = client.post(f"/api/service/organizations/{district.a1.pk}/assignment",
                           {"officer_id": officer_a.pk, "reason": "调整"},
                           content_type="application/json")
    assert response.status_code == 201 and "调整" in response.json()["why"]
    assert Assignment.objects.filter(organization=district.a1, ended_at__isnull=True).get(
    ).officer == officer_a
