"""The district user opens the coverage page, sees the charts drawn, drills down to an area and
to its blind spots; no CSP error on the way."""
import pytest
from playwright.sync_api import expect

from tests.coverage.conftest import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def test_coverage_drill_down_and_charts(page, login, district, world):  # noqa: F811
    login(page, district.district)
    page.goto("/coverage/")
    expect(page.locator("[data-rate=both_rate]")).to_have_text("63.6%")
    expect(page.locator("#chart-groups canvas")).to_have_count(1)
    expect(page.locator("#chart-industry canvas")).to_have_count(1)
    page.click("[data-drill='500102006']")
    expect(page.locator("h1")).to_contain_text("敦仁街道")
    page.click("#drill-orgs")
    expect(page.locator("#coverage-org-table tbody tr")).to_have_count(5)
    page.goto("/coverage/organizations/?status=blank")
    expect(page.locator("#coverage-org-table tbody tr")).to_have_count(4)
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]
