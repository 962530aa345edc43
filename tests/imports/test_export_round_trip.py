"""Export then import changes nothing; exports hold exactly the scope and mask personal data."""
import csv
import io

import pytest
from django.forms.models import model_to_dict
from openpyxl import load_workbook

from sanxin.imports.models import JobStatus
from sanxin.registry.models import Organization
from tests.factories import OrganizationFactory

from .conftest import messages_of

pytestmark = pytest.mark.django_db


def _snapshot():
    return {o.pk: (model_to_dict(o), o.updated_at) for o in Organization.objects.all()}


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _varied(district):
    """Rows that exercise every column: blanks, no credit code, coordinates, dates."""
    OrganizationFactory(name="某快递网点", credit_code=None, domain="new_employment", kind="courier",
                        area=district.area_a, industry="G", employees=None, workers=37,
                        has_premises=False, contact_phone="", latitude=None)
    OrganizationFactory(name="涪陵区慈善会", domain="social", kind="foundation", area=district.area_a,
                        industry="S", authority=None, address="涪陵区太极大道 1 号",
                        established="2019-03-05", status="suspended")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("role", ["district", "area"])
def test_export_then_import_changes_nothing(district, client_for, upload, confirm, fmt, role):
    _varied(district)
    user = district.users()[role]
    before = _snapshot()
    response = client_for(user).get("/imports/export/organizations/", {"format": fmt})
    assert response.status_code == 200
    job = upload(user, _content(response), name=f"export.{fmt}")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    assert (job.to_create, job.to_update) == (0, 0)
    assert job.unchanged == (5 if role == "district" else 4)
    assert confirm(user, job).status == JobStatus.APPLIED
    assert _snapshot() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_registry_page_export_imports_back_unchanged(district, client_for, upload, confirm, fmt):
    """The organization page's own export (labels, area names, masked phones) also goes back in."""
    _varied(district)
    before = _snapshot()
    params = {"format": "csv"} if fmt == "csv" else {}
    content = _content(client_for(district.area_user).get("/organizations/export/", params))
    job = upload(district.area_user, content, name=f"registry.{fmt}")
    assert job.status == JobStatus.CHECKED, messages_of(job)
    assert (job.to_create, job.to_update, job.unchanged) == (0, 0, 4)
    confirm(district.area_user, job)
    assert _snapshot() == before


def _rows(response, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(_content(response).decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(_content(response))).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)][2:]


EXPECTED = {"district": {"a1", "a2", "b1"}, "area": {"a1", "a2"}, "department": {"a1", "b1"},
            "functional": set(), "organization": {"a1"}, "officer": {"b1"}}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("role", EXPECTED)
def test_export_holds_exactly_the_scope_and_masks_phones(district, client_for, role, fmt):
    user = district.users()[role]
    rows = _rows(client_for(user).get("/imports/export/organizations/", {"format": fmt}), fmt)
    header, body = rows[0], rows[1:]
    assert {r[header.index("名称")] for r in body} == {getattr(district, k).name for k in EXPECTED[role]}
    phones = {r[header.index("联系电话")] for r in body}
    if body:
        assert phones == ({"13812345678"} if user.sees_personal_data else {"138****5678"})


def test_masked_phone_cannot_overwrite_a_different_number(district, upload):
    a1 = district.a1
    row = [a1.credit_code, a1.name, "enterprise", "company", "500102006", "C", 20, "139****0000"]
    from .conftest import csv_bytes

    job = upload(district.district, csv_bytes([row]), language="en")
    assert job.status == JobStatus.REJECTED
    assert "2|contact phone|A masked phone number cannot be imported" in messages_of(job)[0]
