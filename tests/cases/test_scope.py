"""Scope of every page and endpoint: a user who may not see a case gets 404, never its data."""
import pytest

from sanxin.cases.models import Case

from .conftest import ANSWER, co_department, drive, raise_case

# (case key) → which fixture users see it ("department" is an industry authority: it handles none)
VISIBLE = {
    "a1_pending": {"district", "area", "organization"},
    "a1_dispatched_f": {"district", "area", "organization", "functional"},
    "b1_officer": {"district", "officer"},
    "a2_co_handled": {"district", "area", "functional", "co_handler"},
}
ROLES = ["district", "area", "department", "functional", "co_handler", "organization", "officer"]


@pytest.fixture
def users(district, co_handler_user):
    return {**district.users(), "co_handler": co_handler_user}


@pytest.fixture
def cases(district):
    d = district
    built = {
        "a1_pending": raise_case(d, title="甲一待受理"),
        "a1_dispatched_f": drive(d, raise_case(d, title="甲一已派单"), "dispatched"),
        "b1_officer": raise_case(d, organization=d.b1, actor=d.officer_user, title="乙一走访诉求"),
    }
    a2 = raise_case(d, organization=d.a2, title="甲二协办")
    from sanxin.cases import services

    services.case_transition(actor=d.district, case_id=a2.pk, action="dispatch",
                             fields={"lead_department": d.dept_f.pk, "co_handlers": [co_department().pk]})
    built["a2_co_handled"] = Case.objects.get(pk=a2.pk)
    return built


@pytest.mark.parametrize("role", ROLES)
def test_pages_show_only_the_scope(users, cases, client_for, role):
    client = client_for(users[role])
    listing = client.get("/cases/").content.decode()
    for key, case in cases.items():
        seen = role in VISIBLE[key]
        assert (case.title in listing) is seen, (key, role)
        detail = client.get(f"/cases/{case.pk}/")
        assert detail.status_code == (200 if seen else 404), (key, role)
        if not seen:
            for url in (f"/cases/{case.pk}/do/remind/", f"/cases/{case.pk}/attach/",
                        f"/cases/{case.pk}/rectification/"):
                assert client.post(url, {"note": "x"}).status_code == 404, (url, role)
            assert Case.objects.get(pk=case.pk).version == case.version


@pytest.mark.parametrize("role", ROLES)
def test_api_shows_only_the_scope(users, cases, client_for, role):
    client = client_for(users[role])
    body = client.get("/api/cases/cases?page_size=200").json()
    assert {r["id"] for r in body["results"]} == {
        c.pk for k, c in cases.items() if role in VISIBLE[k]}
    for key, case in cases.items():
        seen = role in VISIBLE[key]
        code = 200 if seen else 404
        assert client.get(f"/api/cases/cases/{case.pk}").status_code == code, (key, role)
        assert client.get(f"/api/cases/cases/{case.pk}/timeline").status_code == code
        if not seen:
            response = client.post(f"/api/cases/cases/{case.pk}/transitions/remind",
                                   {"note": "x"}, content_type="application/json")
            assert response.status_code == 404
    [whole] = client.get("/api/cases/measures").json()
    assert whole["cases"] == sum(role in VISIBLE[k] for k in cases)


def test_overdue_and_notifications_are_scoped(district, cases, client_for):
    from datetime import timedelta

    from django.utils import timezone

    late = drive(district, raise_case(district, organization=district.b1, actor=district.officer_user,
                                      urgency="urgent", title="乙一停电"),
                 "signed", now=timezone.now() - timedelta(hours=6))
    assert late.title in client_for(district.officer_user).get("/cases/overdue/").content.decode()
    assert late.title not in client_for(district.contact_a1).get("/cases/overdue/").content.decode()
    api = client_for(district.area_user).get("/api/cases/overdue").json()
    assert late.pk not in {r["id"] for r in api["results"]}
    own = client_for(district.functional_user).get("/cases/notifications/").content.decode()
    assert "甲一已派单" in own
    assert "甲一已派单" not in client_for(district.contact_a1).get("/cases/notifications/").content.decode()


def test_anonymous_gets_nothing(district, cases, client):
    assert client.get("/cases/").status_code == 302
    assert client.get("/api/cases/cases").status_code == 401
    assert client.get(f"/api/cases/cases/{cases['a1_pending'].pk}").status_code == 401


def test_merged_duplicate_enterprise_reads_the_answer(district, client_for):
    from sanxin.cases import services

    primary = raise_case(district, organization=district.b1, actor=district.officer_user)
    duplicate = raise_case(district, title="同一诉求")
    services.case_transition(actor=district.district, case_id=duplicate.pk, action="merge",
                             fields={"target": primary.pk})
    drive(district, Case.objects.get(pk=primary.pk), "answered")
    page = client_for(district.contact_a1).get(f"/cases/{duplicate.pk}/").content.decode()
    assert ANSWER in page
