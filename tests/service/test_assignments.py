"""Optimizer preview/apply through the product, stale plans, infeasibility, manual overrides,
officer validation."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxin.service import services
from sanxin.service.forms import OfficerForm
from sanxin.service.models import Assignment, AssignmentPlan, ServiceOfficer
from tests.factories import OrganizationFactory, user_with_role

pytestmark = pytest.mark.django_db


def current(org) -> int | None:
    row = Assignment.objects.filter(organization=org, ended_at__isnull=True).first()
    return row.officer_id if row else None


def test_preview_assigns_nothing_until_applied(district, officer_a):
    plan = services.plan_preview(actor=district.district, mode="assign")
    assert plan.status == "preview"
    assert {m[0] for m in plan.moves} == {district.a1.pk, district.a2.pk}
    assert current(district.a1) is None
    assert services.plan_apply(actor=district.district, plan=plan) == 2
    assert current(district.a1) == officer_a.pk and current(district.a2) == officer_a.pk
    assert current(district.b1) == district.officer.pk  # kept
    plan.refresh_from_db()
    assert plan.status == "applied"
    reasons = set(Assignment.objects.filter(organization=district.a1).values_list("reason",
                                                                                flat=True))
    assert reasons == {"optimizer:unassigned"}
    detail = Assignment.objects.get(organization=district.a1, ended_at__isnull=True).detail
    move = next(m for m in plan.moves if m[0] == district.a1.pk)
    assert (detail.source, detail.plan_id, detail.changed_by_id) == ("optimizer", plan.pk,
                                                                     district.district.pk)
    assert (detail.distance_m, detail.industry_match, detail.same_area) == (move[2], move[3], True)
    assert detail.distance_m > 0 and detail.industry_match is True  # a1 is C, officer_a knows C


def test_second_of_two_concurrent_plans_is_stale_and_applies_nothing(district, officer_a):
    first = services.plan_preview(actor=district.district, mode="assign")
    second = services.plan_preview(actor=district.district, mode="rebalance")
    services.plan_apply(actor=district.district, plan=first)
    before = list(Assignment.objects.order_by("id").values_list("id", "ended_at"))
    with pytest.raises(services.StalePlan):
        services.plan_apply(actor=district.district, plan=second)
    assert list(Assignment.objects.order_by("id").values_list("id", "ended_at")) == before
    assert AssignmentPlan.objects.get(pk=second.pk).status == "stale"


def test_any_assignment_change_makes_open_plans_stale(district, officer_a):
    plan = services.plan_preview(actor=district.district, mode="assign")
    services.assignment_override(actor=district.district, organization=district.a1,
                                 officer=officer_a, reason="企业要求")
    with pytest.raises(services.StalePlan):
        services.plan_apply(actor=district.district, plan=plan)


def test_infeasible_plan_reports_area_shortage_and_cannot_be_applied(district, officer_a):
    officer_a.capacity = 1
    officer_a.save()
    plan = services.plan_preview(actor=district.district, mode="assign")
    assert plan.status == "infeasible"
    assert plan.shortages == [{"area_id": district.area_a.pk, "enterprises": 2, "capacity": 1,
                               "missing": 1}]
    with pytest.raises(ValidationError):
        services.plan_apply(actor=district.district, plan=plan)
    assert Assignment.objects.count() == 1


def test_rebalance_keeps_manual_override_even_when_a_nearer_officer_exists(district, officer_a):
    far = ServiceOfficer.objects.create(user=user_with_role("far", "officer"),
                                        area=district.area_a, capacity=5, latitude=30.5,
                                        longitude=108.5)
    services.assignment_override(actor=district.district, organization=district.a1,
                                 officer=far, reason="熟悉企业情况")
    plan = services.plan_preview(actor=district.district, mode="rebalance")
    assert district.a1.pk not in {m[0] for m in plan.moves}
    services.plan_apply(actor=district.district, plan=plan)
    assert current(district.a1) == far.pk


def test_rebalance_moves_the_enterprises_of_an_inactive_officer(district, officer_a):
    services.plan_apply(actor=district.district,
                        plan=services.plan_preview(actor=district.district, mode="assign"))
    other = ServiceOfficer.objects.create(user=user_with_role("o2", "officer"),
                                          area=district.area_a, capacity=5, latitude=29.7,
                                          longitude=107.39)
    ServiceOfficer.objects.filter(pk=officer_a.pk).update(active=False)
    plan = services.plan_preview(actor=district.district, mode="rebalance")
    assert plan.summary["changed"] == 2 and plan.summary["reasons"] == {"officer_left": 2}
    services.plan_apply(actor=district.district, plan=plan)
    assert current(district.a1) == other.pk
    history = list(Assignment.objects.filter(organization=district.a1).order_by("id"))
    assert history[0].ended_at is not None and history[1].ended_at is None


def test_override_refuses_officer_of_another_area_and_saves_nothing(district, officer_a):
    with pytest.raises(ValidationError) as info:
        services.assignment_override(actor=district.district, organization=district.b1,
                                     officer=officer_a, reason="x")
    assert "officer" in info.value.message_dict
    assert current(district.b1) == district.officer.pk
    assert Assignment.objects.count() == 1


def test_override_refuses_full_officer_and_empty_reason(district, officer_a):
    officer_a.capacity = 1
    officer_a.save()
    services.assignment_override(actor=district.district, organization=district.a1,
                                 officer=officer_a, reason="一")
    with pytest.raises(ValidationError) as info:
        services.assignment_override(actor=district.district, organization=district.a2,
                                     officer=officer_a, reason="二")
    assert "officer" in info.value.message_dict
    assert "1" in info.value.message_dict["officer"][0]  # names the load that fills it
    with pytest.raises(ValidationError) as info:
        services.assignment_override(actor=district.district, organization=district.a1,
                                     officer=district.officer, reason=" ")
    assert "reason" in info.value.message_dict
    assert current(district.a2) is None


def test_area_user_plans_only_its_area_and_cannot_override_elsewhere(district, officer_a):
    plan = services.plan_preview(actor=district.area_user, mode="rebalance")
    assert plan.area_ids == [district.area_a.pk]
    assert {m[0] for m in plan.moves} == {district.a1.pk, district.a2.pk}
    with pytest.raises(PermissionDenied):
        services.assignment_override(actor=district.area_user, organization=district.b1,
                                     officer=district.officer, reason="x")
    for user in (district.dept_user, district.officer_user, district.contact_a1):
        with pytest.raises(PermissionDenied):
            services.plan_preview(actor=user, mode="assign")


def test_district_level_officer_fills_an_area_shortage(district, officer_a):
    officer_a.capacity = 1
    officer_a.save()
    roaming = ServiceOfficer.objects.create(user=user_with_role("roam", "officer"), area=None,
                                            capacity=3, latitude=29.7, longitude=107.39)
    plan = services.plan_preview(actor=district.district, mode="assign")
    assert plan.status == "preview"
    services.plan_apply(actor=district.district, plan=plan)
    assert {current(district.a1), current(district.a2)} == {officer_a.pk, roaming.pk}


def test_closed_enterprises_need_no_officer(district, officer_a):
    OrganizationFactory(area=district.area_a, status="closed")
    OrganizationFactory(area=district.area_a, domain="social", kind="social_group")
    plan = services.plan_preview(actor=district.district, mode="assign")
    assert len(plan.moves) == 2


@pytest.mark.parametrize("capacity, message", [("0", "at least 1"), ("-3", "at least 1"),
                                               ("", "Give the capacity")])
def test_officer_form_rejects_bad_capacity(district, capacity, message):
    from django.utils import translation

    user_with_role("newbie", "officer")
    with translation.override("en"):
        form = OfficerForm({"user": "newbie", "area": district.area_a.code, "capacity": capacity,
                            "industries": "C"})
        assert not form.is_valid()
        assert message in " ".join(form.errors["capacity"])
    with translation.override("zh-hans"):
        form = OfficerForm({"user": "newbie", "area": district.area_a.code, "capacity": capacity})
        assert not form.is_valid() and "容量" in " ".join(form.errors["capacity"])


def test_officer_form_rejects_unknown_industry_letters(district):
    user_with_role("newbie", "officer")
    form = OfficerForm({"user": "newbie", "area": district.area_a.code, "capacity": 5,
                        "industries": "CZ9"})
    assert not form.is_valid() and "Z" in str(form.errors["industries"])


def test_area_user_cannot_create_officer_elsewhere_or_district_level(district, client_for):
    user_with_role("newbie", "officer")
    client = client_for(district.area_user)
    response = client.post("/service/officers/new/", {"user": "newbie", "area":
                                                      district.area_b.code, "capacity": 5})
    assert response.status_code == 200 and not ServiceOfficer.objects.filter(
        user__username="newbie").exists()
    response = client.post("/service/officers/new/", {"user": "newbie", "area": "",
                                                      "capacity": 5})
    assert response.status_code == 200 and not ServiceOfficer.objects.filter(
        user__username="newbie").exists()
    response = client.post("/service/officers/new/", {"user": "newbie", "area":
                                                      district.area_a.code, "capacity": 5,
                                                      "industries": "c"})
    assert response.status_code == 302
    assert ServiceOfficer.objects.get(user__username="newbie").industries == "C"


def test_pages_preview_and_apply_and_stale_message(district, officer_a, client_for):
    client = client_for(district.district)
    response = client.post("/service/optimizer/", {"mode": "assign"})
    assert response.status_code == 302
    plan = AssignmentPlan.objects.latest("id")
    other = services.plan_preview(actor=district.district, mode="assign")
    page = client.get(f"/service/optimizer/plans/{plan.pk}/")
    assert district.a1.name in page.content.decode()
    response = client.post(f"/service/optimizer/plans/{plan.pk}/apply/", follow=True)
    assert current(district.a1) == officer_a.pk
    response = client.post(f"/service/optimizer/plans/{other.pk}/apply/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("过期" in m for m in messages)  # zh-Hans is the default language


def test_override_page_shows_error_for_officer_of_other_area(district, officer_a, client_for):
    client = client_for(district.district)
    response = client.post(f"/service/assignments/{district.b1.pk}/",
                           {"officer": officer_a.pk, "reason": "调整"})
    assert response.status_code == 200
    assert response.context["form"].errors["officer"]
    assert current(district.b1) == district.officer.pk


def test_enterprises_of_an_inactive_officer_count_as_unassigned(district, client_for):
    client = client_for(district.district)
    assert client.get("/service/coverage/").context["total"].assigned == 1
    district.officer.active = False
    district.officer.save()
    assert client.get("/service/coverage/").context["total"].assigned == 0
    assert district.b1 in list(client.get("/service/unassigned/").context["page"])


def test_officer_form_needs_a_user_with_the_officer_role(district):
    form = OfficerForm({"user": district.area_user.username, "area": district.area_a.code,
                        "capacity": 5})
    assert not form.is_valid() and "user" in form.errors
