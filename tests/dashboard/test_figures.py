"""Headline figures on hand-built data: the command, the page, the JSON and the API agree, and each
holds exactly the actor's scope."""
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanxin.registry.models import Organization
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def more(district):
    """Besides a1, a2 (area A) and b1 (area B), all 三有 enterprises with 20 employees:"""
    OrganizationFactory(name="小微", area=district.area_a, employees=5)                       # not 三有
    OrganizationFactory(name="协会", area=district.area_b, domain="social", kind="association",
                        industry="S", employees=12, established=timezone.localdate().replace(day=1))
    OrganizationFactory(name="快递站", area=district.area_a, domain="new_employment", kind="courier",
                        industry="G", credit_code=None, employees=3, workers=40, authority=district.dept_y)
    return district


def figures_json(*args) -> dict:
    out = StringIO()
    call_command("figures", "--json", *args, stdout=out)
    return json.loads(out.getvalue())["figures"]


def test_figures_command_for_the_district(more):
    f = figures_json()
    assert f["organizations.total"] == 6
    assert f["organizations.enterprise"] == 4
    assert f["organizations.social"] == 1
    assert f["organizations.new_employment"] == 1
    assert f["organizations.new_employment_workers"] == 40
    assert f["organizations.sanyou"] == 4
    assert f["organizations.enterprise_sanyou"] == 3
    assert f["organizations.sanyou_rate"] == 66.7


def test_figures_command_for_one_area(more):
    f = figures_json("--area", "500102007")
    assert (f["organizations.total"], f["organizations.social"], f["organizations.sanyou"]) == (2, 1, 2)


def test_figures_command_text_and_unknown_area(more):
    out = StringIO()
    call_command("figures", "--language", "en", stdout=out)
    assert "All organizations: 6" in out.getvalue()
    assert "Share in scope (三有): 66.7%" in out.getvalue()
    with pytest.raises(CommandError, match="Unknown area code"):
        call_command("figures", "--area", "999", stdout=StringIO())


EXPECTED_TOTALS = {"district": 6, "area": 4, "department": 2, "functional": 0, "organization": 1, "officer": 1}


@pytest.mark.parametrize("role", EXPECTED_TOTALS)
def test_page_json_and_api_hold_exactly_the_scope(more, client_for, role):
    client = client_for(more.users()[role])
    page = client.get("/dashboard/")
    assert page.status_code == 200
    page_figures = {f["key"]: f["value"] for f in page.context["payload"]["figures"]}
    assert page_figures["organizations.total"] == EXPECTED_TOTALS[role]
    data = client.get("/dashboard/data.json").json()
    assert {f["key"]: f["value"] for f in data["figures"]} == page_figures
    api = client.get("/api/dashboard/figures").json()
    assert {f["key"]: f["value"] for f in api["figures"]} == page_figures
    by_area = next(c for c in data["charts"] if c["key"] == "organizations.by_area")
    assert sum(sum(s["data"]) for s in by_area["series"]) == EXPECTED_TOTALS[role]


def test_drill_down_district_area_organization(more, client_for):
    client = client_for(more.district)
    by_area = next(c for c in client.get("/dashboard/data.json").json()["charts"]
                   if c["key"] == "organizations.by_area")
    assert by_area["categories"] == ["敦仁街道", "崇义街道"]
    assert by_area["drill"] == ["500102006", "500102007"]
    page = client.get("/dashboard/", {"area": "500102007"})
    figures = {f["key"]: f["value"] for f in page.context["payload"]["figures"]}
    assert figures["organizations.total"] == 2
    shown = [o.name for o in page.context["organizations"]]
    assert set(shown) == {"乙一机械有限公司", "协会"}
    assert f'/organizations/{more.b1.pk}/' in page.content.decode()


def test_area_outside_scope_is_404_everywhere(more, client_for):
    client = client_for(more.area_user)
    assert client.get("/dashboard/", {"area": "500102007"}).status_code == 404
    assert client.get("/dashboard/data.json", {"area": "500102007"}).status_code == 404
    assert client.get("/api/dashboard/figures", {"area": "500102007"}).status_code == 404
    assert client.get("/dashboard/report/", {"start": "2026-01-01", "end": "2026-06-30",
                                             "area": "500102007"}).status_code == 404


def test_page_has_no_inline_script_and_passes_data_as_json(more, client_for):
    html = client_for(more.district).get("/dashboard/").content.decode()
    assert '<script id="dashboard-data" type="application/json">' in html
    assert "dashboard/dashboard.js" in html and "echarts.min.js" in html
    import re

    inline = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s and "application/json" not in s]
    assert inline == []


def test_monthly_chart_counts_recent_establishments(more, client_for):
    data = client_for(more.district).get("/dashboard/data.json").json()
    by_month = next(c for c in data["charts"] if c["key"] == "organizations.by_month")
    assert len(by_month["categories"]) == 12
    assert by_month["categories"][-1] == timezone.localdate().strftime("%Y-%m")
    assert by_month["series"][0]["data"][-1] == 1


def test_party_and_coverage_figures_from_their_apps_providers(more, client_for):
    from sanxin.party.models import Instructor, InstructorAssignment, Member, PartyOrganization

    single = PartyOrganization.objects.create(name="甲一党支部", kind="branch", area=more.area_a)
    single.units.set([more.a1])
    joint = PartyOrganization.objects.create(name="崇义联合党支部", kind="joint_branch", area=more.area_b)
    joint.units.set([more.b1, Organization.objects.get(name="协会")])
    Member.objects.create(name="甲", party_organization=single)
    Member.objects.create(name="乙", party_organization=joint, status="probationary")
    Member.objects.create(name="丙", party_organization=joint)
    instructor = Instructor.objects.create(name="指导员", area=more.area_a)
    InstructorAssignment.objects.create(instructor=instructor, organization=more.a2)
    f = figures_json()
    assert (f["party.organizations"], f["party.organizations.joint_branch"]) == (2, 1)
    assert (f["party.members"], f["party.members.probationary"], f["party.instructors"]) == (3, 1, 1)
    # 三有: a1, a2, b1, 协会 → a1 单建; b1 and 协会 联建; a2 work coverage
    assert (f["coverage.population"], f["coverage.single"], f["coverage.joint"], f["coverage.work"]) == (4, 1, 2, 1)
    assert (f["coverage.org_rate"], f["coverage.both_rate"]) == (75.0, 100.0)
    area_b = figures_json("--area", "500102007")
    assert (area_b["party.organizations"], area_b["party.members"], area_b["coverage.org_rate"]) == (1, 2, 100.0)
    page = client_for(more.area_user).get("/dashboard/data.json").json()
    shown = {x["key"]: x["value"] for x in page["figures"]}
    assert (shown["party.organizations"], shown["party.members"], shown["coverage.population"]) == (1, 1, 2)


def test_service_pairing_and_chain_figures(district, client_for):
    from sanxin.service.models import Visit

    Visit.objects.create(officer=district.officer, organization=district.b1, visited_on=timezone.localdate(),
                         met_person="王经理", discussed="用工")
    f = figures_json()
    assert (f["service.officers"], f["service.enterprises_served"], f["service.enterprise_coverage"]) == (1, 1, 33.3)
    assert f["service.visits_this_year"] == 1
    assert (f["pairings.active"], f["chains.total"]) == (0, 0)  # the pairings and chains apps' own providers
    officer_view = {x["key"]: x["value"] for x in client_for(district.officer_user).get(
        "/dashboard/data.json").json()["figures"]}
    assert (officer_view["service.enterprises_served"], officer_view["service.enterprise_coverage"]) == (1, 100.0)
    assert figures_json("--area", "500102006")["service.enterprises_served"] == 0


def test_cached_figures_are_per_user_and_expire_by_setting(more, client_for, settings):
    area_client = client_for(more.area_user)
    first = area_client.get("/dashboard/data.json").json()
    OrganizationFactory(name="新增", area=more.area_a)
    assert area_client.get("/dashboard/data.json").json() == first  # within the minute: cached
    district_view = client_for(more.district).get("/dashboard/data.json").json()
    totals = {x["key"]: x["value"] for x in district_view["figures"]}
    assert totals["organizations.total"] == 7  # another user never gets the area user's entry
    settings.SANXIN_DASHBOARD_CACHE_SECONDS = 0
    fresh = {x["key"]: x["value"] for x in client_for(more.area_user).get("/dashboard/data.json").json()["figures"]}
    assert fresh["organizations.total"] == 5


def direct_figures(actor, area=None) -> dict:
    """The registry's and service's figures counted straight from the organizations and
    assignments: what the summary-based figures must equal."""
    from collections import Counter

    from sanxin.accounts.scoping import area_ids_under
    from sanxin.dashboard.providers import rate
    from sanxin.registry.selectors import organizations_visible_to
    from sanxin.service.models import Assignment

    orgs = organizations_visible_to(actor)
    if area is not None:
        orgs = orgs.filter(area_id__in=area_ids_under(area.id))
    enterprises = orgs.filter(domain="enterprise")
    operating = enterprises.filter(status="operating")
    current = Assignment.objects.filter(ended_at__isnull=True).values("organization_id")
    served_operating = operating.filter(pk__in=current).count()
    by_area = Counter(orgs.values_list("area__name", flat=True))
    return {
        "organizations.total": orgs.count(), "organizations.enterprise": enterprises.count(),
        "organizations.social": orgs.filter(domain="social").count(),
        "organizations.new_employment": orgs.filter(domain="new_employment").count(),
        "organizations.new_employment_workers": sum(o.workers or 0 for o in orgs),
        "organizations.sanyou": orgs.filter(is_sanyou=True).count(),
        "organizations.enterprise_sanyou": enterprises.filter(is_sanyou=True).count(),
        "service.enterprises_served": enterprises.filter(pk__in=current).count(),
        "service.operating_enterprises": operating.count(),
        "service.enterprise_coverage": rate(served_operating, operating.count()),
        "chart.by_area": dict(by_area),
        "chart.by_department": dict(Counter(orgs.values_list("authority__name", flat=True))),
    }


def shown_figures(actor, area=None) -> dict:
    from sanxin.dashboard.selectors import collect_charts, collect_figures, figure_scope

    scope = figure_scope(actor, area.code if area else "")
    shown = {f.key: f.value for f in collect_figures(scope)}
    charts = {c.key: c for c in collect_charts(scope)}
    for key in ("by_area", "by_department"):
        chart = charts[f"organizations.{key}"]
        names = [None if str(c) == "none" else str(c) for c in chart.categories]
        shown[f"chart.{key}"] = {n: v for n, v in zip(names, chart.series[0].data if key != "by_area"
                                                      else [sum(s.data[i] for s in chart.series)
                                                            for i in range(len(names))], strict=True) if v}
    return shown


@pytest.mark.parametrize("role", ["district", "area", "department", "functional"])
def test_figures_from_the_summary_equal_direct_counts(more, role):
    """Organizations by domain, 三有, by area and authority, and the enterprises served are read
    from the coverage summary's cells for these roles: they equal counts of the rows themselves,
    with closed, suspended, served and unserved enterprises in the data, before and after changes."""
    from django.utils import translation

    from sanxin.coverage import summary
    from sanxin.service.models import Assignment

    translation.activate("en")
    actor = more.users()[role]
    assert summary.expresses_scope(actor)
    OrganizationFactory(name="已注销", area=more.area_a, status="closed", authority=more.dept_x)
    paused = OrganizationFactory(name="停业", area=more.area_b, status="suspended", authority=more.dept_x)
    Assignment.objects.create(organization=paused, officer=more.officer, reason="停业前")
    Assignment.objects.create(organization=more.a2, officer=more.officer, reason="test")
    for step in range(2):
        for area in (None, more.area_a, more.area_b):
            if area is not None and (role in ("department", "functional")
                                     or role == "area" and area != more.area_a):
                continue  # no drill-down outside their areas (404: tests above)
            shown, direct = shown_figures(actor, area), direct_figures(actor, area)
            assert {k: shown.get(k) for k in direct} == direct, (role, area, step)
        if step == 0:  # then the inputs change: the cells follow
            more.a1.status = "closed"
            more.a1.save()
            Assignment.objects.filter(organization=more.a2).delete()
            Organization.objects.get(name="小微").delete()
