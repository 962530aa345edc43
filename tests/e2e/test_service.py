"""An officer logs a visit on a phone-sized screen; the district previews and applies a plan."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanxin.service.models import Assignment, ServiceOfficer, Visit
from tests.factories import user_with_role

pytestmark = pytest.mark.e2e


def test_officer_logs_a_visit_on_a_phone(browser, live_server, transactional_db, login,
                                         district):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        login(page, district.officer_user)
        page.goto("/service/")
        expect(page.locator("#my-enterprises")).to_contain_text(district.b1.name)
        page.click("#log-visit")
        expect(page.locator("#visit-form")).to_be_visible()
        box = page.locator("#visit-form").bounding_box()
        assert box["width"] <= 390  # fits the phone, no sideways scrolling
        options = page.locator("#id_organization option").all_inner_texts()
        assert options == [district.b1.name]  # only the enterprises this officer serves
        tomorrow = timezone.localdate() + timedelta(days=1)
        page.fill("#id_visited_on", tomorrow.isoformat())
        page.fill("#id_met_person", "张经理")
        page.fill("#id_discussed", "了解用工情况")
        page.click("button.btn-lg")
        expect(page.locator("[data-error-for=visited_on]")).to_contain_text("走访日期不能晚于今天")
        assert not Visit.objects.exists()
        page.fill("#id_visited_on", timezone.localdate().isoformat())
        page.fill("#id_demands", "希望协调用电增容")
        page.click("button.btn-lg")
        expect(page.locator("#open-demands")).to_contain_text("希望协调用电增容")
        assert Visit.objects.get().organization == district.b1
        assert not [e for e in errors if "Content Security Policy" in e]
    finally:
        context.close()


def test_district_previews_then_applies_a_plan(page, login, district):
    officer = ServiceOfficer.objects.create(user=user_with_role("officer_a", "officer"),
                                            area=district.area_a, capacity=5, latitude=29.71,
                                            longitude=107.4)
    login(page, district.district)
    page.goto("/service/coverage/")
    expect(page.locator("#coverage-total")).to_contain_text("33.3")
    page.goto("/service/optimizer/")
    page.select_option("#id_mode", "assign")
    page.click("#preview")
    expect(page.locator("#plan-changed")).to_have_text("2")
    expect(page.locator("#plan-changes")).to_contain_text(district.a1.name)
    assert not Assignment.objects.filter(officer=officer).exists()  # a preview changes nothing
    page.click("#apply")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#plan-status")).to_have_text("已应用")
    assert Assignment.objects.filter(officer=officer, ended_at__isnull=True).count() == 2
    page.goto("/service/coverage/")
    expect(page.locator("#coverage-total")).to_contain_text("100.0")
