"""Organization import: dry run, confirmation, all-or-nothing, and every kind of bad input."""
import pytest

from sanxin.imports import pipeline
from sanxin.imports.models import ImportJob, JobStatus
from sanxin.registry.models import Organization
from tests.factories import credit_code

from .conftest import HEADER, csv_bytes, messages_of, org_row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_dry_run_writes_nothing_then_confirm_imports_everything(district, upload, confirm):
    codes = [credit_code(), credit_code()]
    before = Organization.objects.count()
    job = upload(district.district, csv_bytes([org_row(codes[0], name="甲"), org_row(codes[1], name="乙")]))
    assert job.status == JobStatus.CHECKED, messages_of(job)
    assert (job.total_rows, job.to_create, job.to_update, job.issue_count) == (2, 2, 0, 0)
    assert Organization.objects.count() == before
    job = confirm(district.district, job)
    assert job.status == JobStatus.APPLIED
    created = Organization.objects.get(credit_code=codes[0])
    assert (created.name, created.area, created.employees, created.is_sanyou) == (
        "甲", district.area_a, 12, True)
    assert created.contact_phone == "13900001111"
    assert Organization.objects.count() == before + 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings_are_detected(district, upload, confirm, encoding):
    code = credit_code()
    job = upload(district.district, csv_bytes([org_row(code, name="涪陵榨菜集团股份有限公司")], encoding=encoding))
    assert job.status == JobStatus.CHECKED, messages_of(job)
    confirm(district.district, job)
    assert Organization.objects.get(credit_code=code).name == "涪陵榨菜集团股份有限公司"


def test_xlsx_with_title_rows_blank_rows_full_width_and_stray_spaces(district, upload, confirm):
    code = credit_code()
    full_width_code = "".join(chr(ord(c) + 0xFEE0) for c in code)  # ９１５… as some IMEs type it
    rows = [org_row(f"  {full_width_code} ", name=" 重庆　全角  有限公司 ", area=" 敦仁街道 "),
            [None] * len(HEADER), ["", " ", "", "", "", "", "", ""], org_row()]
    content = xlsx_bytes(rows, title_rows=[["涪陵区市场主体名录"], ["制表：区市场监管局 2026年1月"], []])
    job = upload(district.district, content, name="名录.xlsx")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    assert job.header_row == 4
    assert job.total_rows == 2
    confirm(district.district, job)
    org = Organization.objects.get(credit_code=code)
    assert org.name == "重庆 全角 有限公司"
    assert org.area == district.area_a


def test_updates_existing_rows_by_credit_code_and_counts_unchanged(district, upload, confirm):
    a1 = district.a1
    same = [a1.credit_code, a1.name, a1.domain, a1.kind, a1.area.code, a1.industry, a1.employees,
            a1.contact_phone]
    changed = [district.a2.credit_code, "甲二商贸（改名）有限公司", "enterprise", "company", "500102006", "F", 99,
               district.a2.contact_phone]
    job = upload(district.district, csv_bytes([same, changed]))
    assert (job.to_create, job.to_update, job.unchanged) == (0, 1, 1), messages_of(job)
    stamp = Organization.objects.get(pk=a1.pk).updated_at
    confirm(district.district, job)
    district.a2.refresh_from_db()
    assert (district.a2.name, district.a2.employees) == ("甲二商贸(改名)有限公司", 99)
    assert Organization.objects.get(pk=a1.pk).updated_at == stamp
    assert Organization.objects.count() == 3


# ---- bad input: each is named in the dry run and nothing is written -------------------------

def _rejected(job, *fragments):
    assert job.status == JobStatus.REJECTED
    text = "\n".join(messages_of(job))
    for fragment in fragments:
        assert fragment in text, text
    return text


def test_code_that_excel_turned_into_a_number_is_refused(district, upload):
    workbook_rows = [org_row(9.15001e17, name="浮点"), org_row(int("915001020000000000"), name="整数少位")]
    csv_rows = [org_row("9.15001E+17", name="文本科学计数")]
    before = Organization.objects.count()
    job = upload(district.district, xlsx_bytes(workbook_rows), name="n.xlsx", language="en")
    text = _rejected(job, "2|unified social credit code|Excel turned this code into a number (9.15001E+17)")
    assert "3|unified social credit code|" in text
    job = upload(district.district, csv_bytes(csv_rows), language="en")
    _rejected(job, "2|unified social credit code|Excel turned this code into a number (9.15001E+17)")
    assert Organization.objects.count() == before


def test_an_exact_18_digit_integer_keeps_every_digit_but_a_short_one_is_refused():
    """Excel and openpyxl store doubles (digits lost, refused above); an exact integer written by
    another program keeps every digit and is read as the code it is."""
    from sanxin.imports import cells

    assert cells.code(915001021000000063) == "915001021000000063"
    with pytest.raises(cells.CellError, match="has 15 digits instead of 18"):
        cells.code(915001021000000)


def test_invalid_code_unknown_area_and_bad_numbers_named_by_row_and_column(district, upload):
    valid = credit_code()  # one code: its check character is replaced by a different one
    bad_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    rows = [org_row(), org_row(bad_check), org_row(area="999999"), org_row(employees="很多"),
            org_row(phone="12"), org_row(kind="courier"), org_row(domain="unknown-domain")]
    job = upload(district.district, csv_bytes(rows), language="en")
    _rejected(job, "3|unified social credit code|The check character",
              "4|area|Unknown area “999999”", "5|employees|Expected a whole number",
              "6|contact phone|A phone number has 7 to 12 digits", "7|kind|This kind does not belong",
              "8|domain|Unknown value")
    assert job.issue_count == 6
    assert Organization.objects.count() == 3


def test_area_outside_the_users_scope_is_an_unknown_area(district, upload):
    job = upload(district.area_user, csv_bytes([org_row(area="500102007")]), language="en")
    _rejected(job, "2|area|Unknown area")


def test_existing_code_outside_scope_is_refused_not_duplicated(district, upload):
    b1 = district.b1
    row = [b1.credit_code, "抢注", "enterprise", "company", "500102006", "C", 5, ""]
    job = upload(district.area_user, csv_bytes([row]), language="en")
    _rejected(job, "outside your scope")
    b1.refresh_from_db()
    assert b1.name == "乙一机械有限公司"


def test_duplicate_key_inside_the_file(district, upload):
    code = credit_code()
    job = upload(district.district, csv_bytes([org_row(code), org_row(), org_row(code)]), language="en")
    _rejected(job, f"4||Duplicate key {code}: already in row 2")


def test_missing_column(district, upload):
    header = [h for h in HEADER if h != "属地"]
    rows = [[c for i, c in enumerate(org_row()) if HEADER[i] != "属地"]]
    job = upload(district.district, csv_bytes(rows, header=header), language="en")
    _rejected(job, "Missing column(s) in the header (row 1): area.")


@pytest.mark.parametrize("content,name,fragment", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.csv", "not a spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xlsx", "Excel 97"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "not an .xlsx workbook"),
    (b"", "empty.csv", None),
    (b"just some words\nwithout any header\n", "notes.csv", "No header row found"),
])
def test_not_a_spreadsheet(district, upload, client_for, content, name, fragment):
    if fragment is None:  # an empty upload is refused by the form itself
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client_for(district.district).post(
            "/imports/", {"target": "organizations", "file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400
        assert ImportJob.objects.count() == 0
        return
    job = upload(district.district, content, name=name, language="en")
    _rejected(job, fragment)


def test_wrong_extension_refused_by_the_form(district, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(district.district).post(
        "/imports/", {"target": "organizations", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Upload an .xlsx or .csv file" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_problems_are_written_in_the_users_language(district, upload):
    job = upload(district.district, csv_bytes([org_row(area="不存在镇")]))
    text = _rejected(job)
    assert "2|属地|" in text
    assert "未知" in text or "属地" in text
    assert "Unknown area" not in text


# ---- all or nothing --------------------------------------------------------------------------

def test_bad_last_row_leaves_nothing_and_cannot_be_confirmed(district, upload, client_for):
    rows = [org_row() for _ in range(30)] + [org_row(area="nowhere")]
    job = upload(district.district, csv_bytes(rows))
    assert job.status == JobStatus.REJECTED
    response = client_for(district.district).post(f"/imports/jobs/{job.pk}/confirm/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert Organization.objects.count() == 3


def test_database_error_at_the_last_chunk_rolls_back_earlier_chunks(district, upload, confirm, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 2)
    job = upload(district.district, csv_bytes([org_row() for _ in range(5)]))
    assert job.status == JobStatus.CHECKED
    spec_class = type(__import__("sanxin.imports.specs", fromlist=["get_spec"]).get_spec("organizations"))
    real_create = spec_class.create
    calls = []

    def failing_create(self, ctx, rows):
        calls.append(len(rows))
        if len(calls) == 3:  # the chunk holding the last row
            raise RuntimeError("disk full")
        return real_create(self, ctx, rows)

    monkeypatch.setattr(spec_class, "create", failing_create)
    job = confirm(district.district, job)
    assert calls == [2, 2, 1]
    assert job.status == JobStatus.FAILED
    assert Organization.objects.count() == 3


def test_data_changed_between_check_and_confirm_aborts_everything(district, upload, confirm):
    codes = [credit_code() for _ in range(4)]
    job = upload(district.area_user, csv_bytes([org_row(c) for c in codes]))
    assert job.status == JobStatus.CHECKED
    # meanwhile the last code is registered in another area, outside this user's scope
    Organization.objects.create(name="别处", credit_code=codes[-1], domain="enterprise", kind="company",
                                area=district.area_b, industry="C")
    job = confirm(district.area_user, job)
    assert job.status == JobStatus.FAILED
    assert job.issues.filter(row=5).exists()
    assert not Organization.objects.filter(credit_code__in=codes[:3]).exists()


def test_only_district_and_area_users_may_import(district, client_for):
    for user in (district.dept_user, district.contact_a1, district.officer_user):
        assert client_for(user).get("/imports/").status_code == 403


def test_template_download_is_readable_by_the_importer(district, client_for, upload):
    response = client_for(district.district).get("/imports/templates/organizations.xlsx")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    values = dict(zip(HEADER, org_row(), strict=True))
    by_label = {"统一社会信用代码*": "统一社会信用代码", "名称*": "名称", "领域*": "领域", "类型*": "类型",
                "属地*": "属地", "行业门类*": "行业", "从业人数": "从业人数", "联系电话": "联系电话"}
    for index, label in enumerate(header, start=1):
        if label in by_label:
            sheet.cell(row=3, column=index, value=values[by_label[label]])
    buffer = BytesIO()
    sheet.parent.save(buffer)
    job = upload(district.district, buffer.getvalue(), name="t.xlsx")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    assert job.header_row == 2
    csv_template = b"".join(client_for(district.district).get(
        "/imports/templates/organizations.csv").streaming_content)
    assert csv_template.decode("utf-8-sig").startswith("ID,")


def test_a_valid_code_that_reads_like_scientific_notation_is_accepted():
    """9150010239063E3511 matches the shape of 9.1E+3 but is a full, valid credit code."""
    from stdnum.cn import uscc

    from sanxin.imports import cells

    body = "9150010239063E351"
    code = body + uscc.calc_check_digit(body)
    assert cells.code(code) == code
    with pytest.raises(cells.CellError):
        cells.code("9150010239063E3")  # a shortened rendering is still refused
