"""A township user logs in, searches the list, opens a detail page and switches language."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_township_user_searches_opens_detail_and_switches_language(page, login, district):
    login(page, district.area_user)
    expect(page.locator("#user-scope")).to_contain_text("敦仁街道")
    page.goto("/organizations/")
    expect(page.locator("h1")).to_have_text("单位名录")
    rows = page.locator("#org-table tbody tr")
    expect(rows).to_have_count(2)  # a1, a2: only the user's own area
    expect(page.locator("#org-table")).not_to_contain_text(district.b1.name)

    page.fill("#q", "甲二")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(district.a2.name)

    page.click(f"text={district.a2.name}")
    expect(page.locator("#org-name")).to_have_text(district.a2.name)
    expect(page.locator("body")).to_contain_text("统一社会信用代码")
    expect(page.locator("body")).to_contain_text("138****5678")  # masked for this role

    page.select_option("#language-switch", "en")
    expect(page.locator("body")).to_contain_text("unified social credit code")
    expect(page).to_have_url(re.compile(rf"/organizations/{district.a2.pk}/$"))

    page.goto(f"/organizations/{district.b1.pk}/")
    expect(page.locator("body")).not_to_contain_text(district.b1.name)
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]


def test_login_page_rejects_wrong_password(page, district):
    page.goto("/accounts/login/")
    page.fill("#id_username", district.area_user.username)
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
