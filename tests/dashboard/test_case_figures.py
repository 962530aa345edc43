"""Cases figures (sanxin/cases/figures.py) on hand-built cases: the command, the drill-down, the
actor's scope, the charts and the statistical report's columns and totals."""
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxin.cases.figures import case_area_columns, case_charts
from sanxin.cases.models import Case, Category, RectificationTask
from sanxin.dashboard.providers import Period
from sanxin.dashboard.reports import column_total, report_areas
from sanxin.dashboard.selectors import dashboard_payload, figure_scope

pytestmark = pytest.mark.django_db


def case(district, org, kind="demand", **fields) -> Case:
    fields.setdefault("source", "contact")
    return Case.objects.create(kind=kind, title="诉求", description="说明", organization=org,
                               category=Category.objects.first(), raised_by=district.district, **fields)


def task(district, of: Case, done: bool) -> RectificationTask:
    now = timezone.now()
    return RectificationTask.objects.create(
        case=of, title="整改", owner="区经济信息委", deadline=timezone.localdate() + timedelta(days=30),
        progress=100 if done else 40, evidence="已整改" if done else "", completed_at=now if done else None,
        created_by=district.district)


@pytest.fixture
def cases(district):
    """Area A (a1): 7 counted + 1 merged; area B (b1): 2."""
    now = timezone.now()
    answered = {"state": "answered", "answered_at": now, "answer": "已答复", "lead_department": district.dept_f}
    rated = {**answered, "state": "rated", "rated_at": now, "resolved": True}
    a1, b1 = district.a1, district.b1
    first = case(district, a1, **rated, rating="satisfied")
    case(district, a1, **rated, rating="unsatisfied", reopen_count=1)
    case(district, a1)                                                        # pending
    case(district, a1, state="merged", merged_into=first)                     # a duplicate: not counted
    case(district, a1, **answered, tailored_solution=True)
    problem = case(district, a1, kind="problem", collector_level="front_line", source="collected")
    task(district, problem, done=True)
    task(district, problem, done=True)
    good = case(district, a1, kind="suggestion", is_good_suggestion=True, source="collected")
    task(district, good, done=False)
    case(district, a1, kind="suggestion", source="collected")
    case(district, b1, **rated, rating="basic")
    case(district, b1, kind="problem", source="collected")
    return district


def figures(*args) -> dict:
    out = StringIO()
    call_command("figures", "--json", *args, stdout=out)
    return json.loads(out.getvalue())["figures"]


def test_case_figures_of_the_district(cases):
    f = figures()
    assert {k: v for k, v in f.items() if k.startswith("cases.") and k not in ("cases.total", "cases.national")} == {
        "cases.received": 9, "cases.demands": 5, "cases.answered": 4, "cases.answer_rate": 44.4,
        "cases.satisfaction_rate": 66.7, "cases.tailored": 1, "cases.problems": 2, "cases.good_suggestions": 1,
        "cases.rectified": 1, "cases.rectification_rate": 50.0}


def test_case_figures_drill_down_and_scope(cases):
    area_b = figures("--area", "500102007")
    assert (area_b["cases.received"], area_b["cases.answered"], area_b["cases.satisfaction_rate"]) == (2, 1, 100.0)
    payload = dashboard_payload(figure_scope(cases.area_user))
    seen = {f["key"]: f["value"] for f in payload["figures"]}
    assert (seen["cases.received"], seen["cases.problems"], seen["cases.rectification_rate"]) == (7, 1, 50.0)
    contact = {f["key"]: f["value"] for f in dashboard_payload(figure_scope(cases.contact_a1))["figures"]}
    assert contact["cases.received"] == 7
    functional = {f["key"]: f["value"] for f in dashboard_payload(figure_scope(cases.functional_user))["figures"]}
    assert functional["cases.received"] == 4  # the cases dispatched to it (dept_f leads the answered ones)


def test_case_charts(cases):
    by_month, by_department = case_charts(figure_scope(None))
    assert by_month.series[0].data[-1] == 9 and by_month.series[1].data[-1] == 4
    assert by_department.categories == ["区税务局"]
    assert [s.data for s in by_department.series] == [[4], [4]]


def test_case_report_columns_and_totals(cases):
    scope = figure_scope(None)
    today = timezone.localdate()
    columns = case_area_columns(scope, Period(today - timedelta(days=7), today))
    by_key = {c.key: c for c in columns}
    area_a, area_b = cases.area_a.id, cases.area_b.id
    assert by_key["cases.received"].values == {area_a: 7, area_b: 2}
    assert by_key["cases.rated"].values == {area_a: 2, area_b: 1}
    areas = report_areas(scope)
    assert column_total(by_key["cases.received"], by_key, areas) == 9
    assert column_total(by_key["cases.satisfaction_rate"], by_key, areas) == 66.7
    earlier = case_area_columns(scope, Period(today - timedelta(days=60), today - timedelta(days=30)))
    assert all(not c.values for c in earlier)


def test_brands_by_their_highest_honour(district):
    from sanxin.pairings.models import CaseStudy, Honour
    from sanxin.party.models import PartyOrganization

    branch = PartyOrganization.objects.create(name="甲一化工党支部", kind="branch", area=district.area_a)
    levels = [("national", "district"), ("municipal",), ("municipal", "district"), ("district",), ()]
    for n, honours in enumerate(levels):
        study = CaseStudy.objects.create(party_organization=branch, title=f"案例{n}", year=2023, domain="enterprise")
        for level in honours:
            Honour.objects.create(case_study=study, title="荣誉", level=level, year=2023, awarding_body="组委会")
    f = figures()
    assert [f[f"brands.by_level.{level}"] for level in ("national", "municipal", "district")] == [1, 2, 1]
    assert (f["cases.total"], f["cases.national"]) == (5, 1)
