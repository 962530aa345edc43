"""A chain problem turned into a case: who may, what the case gets, once only, its progress on
the problem page, bad input refused with nothing saved, and the scope of the page and the API."""
from datetime import date

import pytest

from sanxin.cases.defaults import seed_defaults
from sanxin.cases.models import Case, Category, DeadlineRule
from sanxin.chains import services
from sanxin.chains.models import ChainProblem
from tests.cases.conftest import drive
from tests.factories import user_with_role

from .test_scope import CHAINS

pytestmark = pytest.mark.django_db


@pytest.fixture
def problems(district, chains):
    """p1 on chain1 (committee at the district root) raised by a1; p2 on chain2 (committee in
    area B) raised by b1; p3 on chain2 raised by nobody."""
    if not Category.objects.exists():   # after a flushed database: the migration's defaults
        seed_defaults(Category, DeadlineRule)
    make = ChainProblem.objects.create
    return (make(chain=chains.chain1, title="危化品停车位不足", description="园区停车场只有20个车位",
                 raised_on=date(2024, 5, 10), raised_by=district.a1),
            make(chain=chains.chain2, title="井场道路维护责任不清", raised_on=date(2024, 6, 1),
                 raised_by=district.b1),
            make(chain=chains.chain2, title="运力紧张", raised_on=date(2024, 6, 2)))


PROBLEM_FIELDS = {"kind": "problem", "category": "financing", "urgency": "normal",
                  "collector_level": "leader"}


def convert_page(client, problem, **overrides):
    return client.post(f"/chains/problems/{problem.pk}/case/", {**PROBLEM_FIELDS, **overrides})


def convert_api(client, problem, **overrides):
    return client.post(f"/api/chains/problems/{problem.pk}/case", {**PROBLEM_FIELDS, **overrides},
                       content_type="application/json")


def test_the_district_turns_a_problem_into_a_case_once(district, problems, client_for):
    p1 = problems[0]
    client = client_for(district.district)
    response = convert_page(client, p1)
    assert response.status_code == 302
    p1.refresh_from_db()
    case = p1.case
    assert (case.kind, case.organization, case.source, case.collector_level, case.state) == (
        "problem", district.a1, "collected", "leader", "pending")
    assert case.title == "危化品停车位不足" and case.raised_by == district.district
    assert "园区停车场只有20个车位" in case.description and "化工新材料" in case.description
    # again, by the page or the API, with other or even bad input: the same case, nothing new
    assert convert_page(client, p1, kind="demand").status_code == 302
    response = convert_api(client, p1, category="no-such-category")
    assert response.status_code == 200 and response.json()["case"]["case_id"] == case.pk
    assert Case.objects.count() == 1
    page = client.get(f"/chains/problems/{p1.pk}/").content.decode()
    assert 'id="to-case"' not in page and f"/cases/{case.pk}/" in page


def test_a_demand_gets_the_contact_source(district, problems, client_for):
    response = convert_api(client_for(district.district), problems[0], kind="demand",
                           collector_level="")
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["case"]["case_id"])
    assert (case.kind, case.source, case.collector_level) == ("demand", "contact", "")


def test_a_stale_second_request_returns_the_first_case(district, problems):
    """Two requests read the problem before either linked a case: the second one's case is
    rolled back and the first one's returned."""
    stale = ChainProblem.objects.get(pk=problems[0].pk)
    first = services.chain_problem_to_case(actor=district.district, problem=problems[0],
                                           kind="problem", category="financing",
                                           collector_level="leader")
    second = services.chain_problem_to_case(actor=district.district, problem=stale,
                                            kind="demand", category="financing")
    assert first.created and not second.created
    assert second.problem.case_id == first.problem.case_id
    assert Case.objects.count() == 1


def test_the_committee_area_converts_its_chains_problems(district, problems, client_for):
    """Area B hosts chain2's committee; area A sees both chains (members) but leads neither."""
    area_b = user_with_role("area_b", "area", area=district.area_b)
    p1, p2, _p3 = problems
    assert convert_api(client_for(area_b), p2).status_code == 201
    # B sees chain1 (b1 is a member) but does not host its committee
    assert convert_api(client_for(area_b), p1).status_code == 403
    for user in (district.area_user, district.dept_user, district.contact_a1,
                 district.officer_user):
        assert convert_api(client_for(user), p1).status_code in (403, 404), user
        assert convert_page(client_for(user), p1).status_code in (403, 404), user
    assert convert_api(client_for(district.area_user), p1).status_code == 403
    assert convert_page(client_for(district.area_user), p1).status_code == 403
    assert convert_api(client_for(district.functional_user), p1).status_code == 404
    assert Case.objects.count() == 1
    page = client_for(district.area_user).get(f"/chains/problems/{p1.pk}/").content.decode()
    assert 'id="to-case"' not in page and 'id="no-case"' in page


@pytest.mark.parametrize("overrides, field, message", [
    ({"collector_level": ""}, "collector_level", "Say who raised the problem"),
    ({"category": "no-such-category"}, "category", "Unknown category"),
    ({"kind": "suggestion"}, "kind", "demand or a problem"),
    ({"urgency": "whenever"}, "urgency", "whenever"),
])
def test_bad_input_is_refused_naming_the_field(district, problems, client_for, overrides, field,
                                               message):
    client = client_for(district.district)
    response = convert_api(client, problems[0], **overrides)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field and message in body["message"]
    response = convert_page(client, problems[0], **overrides)
    assert response.status_code == 400
    assert field in response.context["case_form"].errors
    assert Case.objects.count() == 0
    assert ChainProblem.objects.get(pk=problems[0].pk).case_id is None


def test_the_case_must_be_about_a_member_the_actor_may_raise_for(district, chains, problems,
                                                                 client_for):
    area_b = user_with_role("area_b", "area", area=district.area_b)
    _p1, p2, p3 = problems
    # nobody raised p3: the enterprise must be chosen
    response = convert_api(client_for(district.district), p3)
    assert response.status_code == 422 and response.json()["field"] == "organization"
    # a1 is not a member of chain2
    response = convert_api(client_for(district.district), p3, organization_id=district.a1.pk)
    assert response.status_code == 422 and "not a member" in response.json()["message"]
    assert response.json()["field"] == "organization_id"
    # a2 is a member of chain2 but in area A: area B's committee may not raise a case for it
    response = convert_api(client_for(area_b), p3, organization_id=district.a2.pk)
    assert response.status_code == 422 and response.json()["field"] == "organization"
    response = convert_page(client_for(area_b), p3, organization=district.a2.pk)
    assert response.status_code == 400
    assert "organization" in response.context["case_form"].errors
    assert Case.objects.count() == 0
    # the district may: the case is about a2
    response = convert_api(client_for(district.district), p3, organization_id=district.a2.pk)
    assert response.status_code == 201
    assert Case.objects.get().organization == district.a2


def test_the_case_progress_shows_on_the_problem_page(district, problems, client_for):
    p1 = problems[0]
    result = services.chain_problem_to_case(actor=district.district, problem=p1,
                                            kind="demand", category="financing")
    case = drive(district, result.problem.case, "answered")
    client = client_for(district.district)
    page = client.get(f"/chains/problems/{p1.pk}/")
    progress = page.context["progress"]
    assert (progress.state, progress.lead_department, progress.visible) == (
        "answered", district.dept_f.name, True)
    assert progress.answer == case.answer
    assert 'data-state="answered"' in page.content.decode()
    labels = [label for _at, label in progress.events]
    assert {"Raised (受理)", "Dispatch (派单)", "Sign (签收)"} <= set(labels) and len(labels) == 5
    body = client.get(f"/api/chains/problems/{p1.pk}").json()
    assert body["case"]["state"] == "answered" and body["case"]["answer"] == case.answer
    # the chain page badges the problem with the case's state
    chain_page = client.get(f"/chains/{p1.chain_id}/").content.decode()
    assert f"/chains/problems/{p1.pk}/" in chain_page
    # department X sees the chain (a1 is its enterprise) but not the case, dispatched to F:
    # the state, not the answer nor the link
    dept = client_for(district.dept_user).get(f"/api/chains/problems/{p1.pk}").json()
    assert dept["case"]["state"] == "answered"
    assert dept["case"]["visible"] is False and dept["case"]["answer"] is None


@pytest.mark.parametrize("role", CHAINS)
def test_problem_pages_and_endpoints_follow_the_chain_scope(district, chains, problems,
                                                            client_for, role):
    client = client_for(district.users()[role])
    listed = {p["id"] for p in client.get("/api/chains/problems").json()["results"]}
    expected = {p.pk for p in problems
                if {chains.chain1.pk: "chain1", chains.chain2.pk: "chain2"}[p.chain_id]
                in CHAINS[role]}
    assert listed == expected
    for problem in problems:
        status = 200 if problem.pk in expected else 404
        assert client.get(f"/chains/problems/{problem.pk}/").status_code == status
        assert client.get(f"/api/chains/problems/{problem.pk}").status_code == status
