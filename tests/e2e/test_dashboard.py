"""The dashboard in a real browser: charts drawn under the strict CSP, drill-down by clicking the
area chart, full screen; the import flow from upload to confirmation."""
import pytest
from django.core.cache import cache

pytestmark = pytest.mark.e2e


def test_dashboard_draws_charts_drills_down_and_goes_full_screen(page, login, district):
    cache.clear()
    login(page, district.district)
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-organizationsby_area canvas")
    assert page.locator("#fig-organizationstotal").inner_text() == "3"
    page.locator("#chart-organizationsby_area").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # let the bars' entry animation finish before clicking one
    box = page.locator("#chart-organizationsby_area").bounding_box()
    # the middle of the first bar (敦仁街道, the area with most organizations: 2 enterprises)
    x, y = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById(
        'chart-organizationsby_area')).convertToPixel({seriesIndex: 0}, [1, 0])""")
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/dashboard/?area=500102006**")
    assert "敦仁街道" in page.locator("#dashboard-breadcrumb").inner_text()
    assert page.locator("#area-organizations tbody tr").count() == 2
    page.click("#fullscreen-toggle")
    assert "dashboard-fullscreen" in page.locator("body").get_attribute("class")
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]


def test_import_upload_check_and_confirm(page, login, district, tmp_path, settings):
    from sanxin.registry.models import Organization
    from tests.factories import credit_code

    settings.MEDIA_ROOT = tmp_path
    code = credit_code()
    path = tmp_path / "orgs.csv"
    path.write_text("统一社会信用代码,名称,领域,类型,属地,行业\n"
                    f"{code},浏览器导入有限公司,enterprise,company,500102006,C\n", encoding="utf-8-sig")
    login(page, district.district)
    page.goto("/imports/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#confirm-import")
    assert page.locator("#to-create").inner_text() == "1"
    page.click("#confirm-import")
    page.wait_for_selector("#job-done")
    assert Organization.objects.filter(credit_code=code, name="浏览器导入有限公司").exists()
