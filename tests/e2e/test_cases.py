"""A demand from raising to rating in the browser: the contact submits, the district dispatches,
the department signs and answers, the contact rates; each sees only its buttons."""
import pytest
from playwright.sync_api import expect

from sanxin.cases.defaults import seed_defaults
from sanxin.cases.models import Case, Category, DeadlineRule

pytestmark = pytest.mark.e2e


def test_demand_from_raising_to_rating(page, login, district):
    seed_defaults(Category, DeadlineRule)   # the transactional database starts flushed
    login(page, district.contact_a1)
    page.goto("/cases/new/")
    page.select_option("#id_kind", "demand")
    page.select_option("#id_organization", str(district.a1.pk))
    page.fill("#id_title", "天然气增容申请")
    page.fill("#id_description", "新产线投产，需增容。")
    page.select_option("#id_category", "utilities")
    page.click("#case-form button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("待受理")
    case = Case.objects.get(title="天然气增容申请")
    expect(page.locator("#actions")).to_contain_text("您目前对该诉求无需操作")

    page.context.clear_cookies()
    login(page, district.district)
    page.goto(f"/cases/{case.pk}/")
    page.select_option("#do-dispatch select[name=lead_department]", str(district.dept_f.pk))
    page.click("#do-dispatch button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("已派单")

    page.context.clear_cookies()
    login(page, district.functional_user)
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#do-dispatch")).to_have_count(0)
    page.fill("#do-sign input[name=note]", "已电话联系企业")
    page.click("#do-sign button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("已签收")
    page.fill("#do-answer textarea[name=answer]", "已协调燃气公司，下周完成增容。")
    page.click("#do-answer button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("已答复")

    page.context.clear_cookies()
    login(page, district.contact_a1)
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("#case-answer")).to_contain_text("下周完成增容")
    page.select_option("#do-rate select[name=rating]", "satisfied")
    page.select_option("#do-rate select[name=resolved]", "yes")
    page.click("#do-rate button[type=submit]")
    expect(page.locator("#case-state")).to_have_text("已评价")
    expect(page.locator("#timeline li")).to_have_count(5)
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]
