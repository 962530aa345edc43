"""The statistical report: merged title rows, period and scope printed, per-area rows, totals."""
import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_report_for_the_district(district, client_for):
    OrganizationFactory(name="协会", area=district.area_b, domain="social", kind="association", industry="S",
                        established="2026-03-01")
    sheet = workbook(client_for(district.district).get(
        "/dashboard/report/", {"start": "2026-01-01", "end": "2026-06-30"}))
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "统计报表" in rows[0][0]
    assert "2026-01-01 – 2026-06-30" in rows[1][0]
    assert "区级" in rows[2][0]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    width = len(rows[5])
    assert {f"A{n}:{get_column_letter(width)}{n}" for n in (1, 2, 3, 4)} <= merged
    header = rows[5]
    assert header[0] is None and rows[4][0] == "属地"
    assert "单位名录" in rows[4]
    body = {r[0]: r for r in rows[6:]}
    assert set(body) == {"敦仁街道", "崇义街道", "合计"}
    col = header.index("单位总数")
    assert body["敦仁街道"][col] == 2 and body["崇义街道"][col] == 2 and body["合计"][col] == 4
    established = header.index("期内成立")
    assert body["崇义街道"][established] == 1 and body["合计"][established] == 1


def test_report_for_an_area_user_holds_only_its_area(district, client_for):
    sheet = workbook(client_for(district.area_user).get(
        "/dashboard/report/", {"start": "2026-01-01", "end": "2026-06-30"}))
    names = [r[0] for r in sheet.iter_rows(min_row=7, values_only=True)]
    assert names == ["敦仁街道", "合计"]


def test_bad_period_is_refused_with_a_message(district, client_for):
    response = client_for(district.district).get(
        "/dashboard/report/", {"start": "2026-06-30", "end": "2026-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The end of the period is before its start." in response.content.decode()
    response = client_for(district.district).get("/dashboard/report/", {"start": "soon", "end": "2026-01-01"})
    assert response.status_code == 400
