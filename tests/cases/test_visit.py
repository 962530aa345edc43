"""An officer raises demands from its visit (the service app's 走访), linked to it."""
from datetime import date

from sanxin.cases.models import Case
from sanxin.service.models import Visit


def make_visit(district, organization=None):
    return Visit.objects.create(officer=district.officer, organization=organization or district.b1,
                                visited_on=date(2026, 3, 2), met_person="张总", discussed="生产经营情况",
                                demands="流动资金贷款续贷\n招聘焊工")


def test_officer_raises_a_demand_from_its_visit(district, client_for):
    visit = make_visit(district)
    client = client_for(district.officer_user)
    form = client.get(f"/cases/new/?visit={visit.pk}")
    assert form.status_code == 200 and 'id="from-visit"' in form.content.decode()
    assert form.context["form"].initial["title"] == "流动资金贷款续贷"
    response = client.post(f"/cases/new/?visit={visit.pk}", {
        "kind": "demand", "organization": district.b1.pk, "title": "流动资金贷款续贷",
        "description": visit.demands, "category": "financing", "urgency": "normal", "visit": visit.pk})
    case = Case.objects.get(visit=visit)
    assert response.url == f"/cases/{case.pk}/"
    assert case.source == "visit" and case.raised_by == district.officer_user
    assert 'id="case-visit"' in client.get(response.url).content.decode()


def test_visit_of_another_organization_or_out_of_scope(district, client_for):
    visit = make_visit(district)
    client = client_for(district.district)
    response = client.post("/cases/new/", {
        "kind": "demand", "organization": district.a1.pk, "title": "x", "description": "y",
        "category": "other", "urgency": "normal", "visit": visit.pk})
    assert "visit" in response.context["form"].errors
    assert not Case.objects.exists()
    assert client_for(district.contact_a1).get(f"/cases/new/?visit={visit.pk}").status_code == 404
