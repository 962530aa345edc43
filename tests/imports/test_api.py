"""The imports API (docs/api.md, Imports): kinds and templates, upload → dry run, confirm → the
all-or-nothing import, status and problems; the uploader's own jobs only (404 for others');
bad uploads refused with a stable code and nothing stored."""
import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from sanxin.apiclients.services import api_client_create
from sanxin.imports.models import ImportIssue, ImportJob, JobStatus
from sanxin.registry.models import Organization

from .conftest import csv_bytes, org_row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()


@pytest.fixture
def api_for(district):
    """api_for(role_kind, **target) → a client sending a fresh token of that scope."""
    counter = iter(range(1, 100))

    def make(role_kind: str = "district", **target) -> Client:
        _, token = api_client_create(actor=district.district, name=f"import {next(counter)}",
                                     role_kind=role_kind, expires_in_days=1,
                                     rate_limit_per_minute=10_000, **target)
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    return make


def post_file(client: Client, content: bytes, name: str = "orgs.csv", kind="organizations",
              **headers):
    data = {"file": SimpleUploadedFile(name, content)}
    if kind is not None:
        data["kind"] = kind
    return client.post("/api/imports/jobs", data, **headers)


def test_kinds_list_what_the_role_may_import(district, api_for):
    kinds = api_for("district").get("/api/imports/kinds", HTTP_ACCEPT_LANGUAGE="en").json()
    by_kind = {k["kind"]: k for k in kinds}
    assert {"organizations", "party_organizations", "members"} <= set(by_kind)
    organizations = by_kind["organizations"]
    assert organizations["exportable"] is True
    credit = next(c for c in organizations["columns"] if c["name"] == "credit_code")
    assert credit["required"] is True and credit["label"]
    assert api_for("organization", organization=district.a1).get("/api/imports/kinds").json() == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_download(district, api_for, fmt):
    response = api_for("district").get("/api/imports/kinds/organizations/template",
                                       {"format": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert "统一社会信用代码*" in header
    else:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(body)).worksheets[0]
        assert "统一社会信用代码*" in [cell.value for cell in sheet[2]]


def test_template_of_an_unknown_or_forbidden_kind_is_404(district, api_for):
    assert api_for().get("/api/imports/kinds/nothing/template").status_code == 404
    organization = api_for("organization", organization=district.a1)
    response = organization.get("/api/imports/kinds/organizations/template")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    bad_format = api_for().get("/api/imports/kinds/organizations/template", {"format": "pdf"})
    assert bad_format.status_code == 422 and bad_format.json()["field"] == "format"


def test_upload_dry_run_then_confirm_imports_all(district, api_for):
    client = api_for("district")
    rows = [org_row(name="接口导入一有限公司"), org_row(name="接口导入二有限公司")]
    response = post_file(client, xlsx_bytes(rows), name="orgs.xlsx")
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["kind"], job["file_name"]) == ("checked", "organizations", "orgs.xlsx")
    assert (job["to_create"], job["problem_count"], job["confirmable"]) == (2, 0, True)
    assert job["running"] is False and job["percent"] == 100 and job["problems"] == []
    assert job["created_at"].endswith("+08:00")
    assert Organization.objects.count() == 3  # a dry run writes nothing

    confirmed = client.post(f"/api/imports/jobs/{job['id']}/confirm")
    assert confirmed.status_code == 202, confirmed.content
    assert confirmed.json()["status"] == "applied" and confirmed.json()["confirmable"] is False
    assert Organization.objects.filter(name__startswith="接口导入").count() == 2
    status = client.get(f"/api/imports/jobs/{job['id']}").json()
    assert status["status"] == "applied" and status["applied_at"]

    again = client.post(f"/api/imports/jobs/{job['id']}/confirm")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    assert Organization.objects.count() == 5


def test_problems_by_row_and_column_in_the_request_language(district, api_for):
    client = api_for("district")
    rows = [org_row(area="x1"), org_row(), org_row(area="x3")]
    job = post_file(client, csv_bytes(rows), HTTP_ACCEPT_LANGUAGE="en").json()
    assert (job["status"], job["problem_count"], job["confirmable"]) == ("rejected", 2, False)
    first = job["problems"][0]
    assert (first["row"], first["value"]) == (2, "x1") and first["column"]
    assert first["message"].startswith("Unknown area")  # English, as the upload asked
    paged = client.get(f"/api/imports/jobs/{job['id']}/problems", {"page_size": 1}).json()
    assert paged["count"] == 2 and paged["results"][0]["row"] == 2
    walked = client.get(f"/api/imports/jobs/{job['id']}/problems", {"cursor": "",
                                                                    "page_size": 1}).json()
    assert walked["next_cursor"] and walked["results"][0]["row"] == 2
    by_row = client.get(f"/api/imports/jobs/{job['id']}/problems", {"ordering": "-row"}).json()
    assert [p["row"] for p in by_row["results"]] == [4, 2]
    refused = client.post(f"/api/imports/jobs/{job['id']}/confirm")
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_state"
    assert Organization.objects.count() == 3

    chinese = post_file(client, csv_bytes([org_row(area="x9")])).json()
    assert "x9" in chinese["problems"][0]["message"]
    assert not chinese["problems"][0]["message"].startswith("Unknown")  # zh-Hans by default


def test_own_jobs_listed_others_are_404(district, api_for):
    mine, other = api_for("district"), api_for("district")
    job = post_file(mine, csv_bytes([org_row()])).json()
    theirs = post_file(other, csv_bytes([org_row()])).json()
    listed = mine.get("/api/imports/jobs").json()
    assert [row["id"] for row in listed["results"]] == [job["id"]] and listed["count"] == 1
    for path in ("", "/problems"):
        response = mine.get(f"/api/imports/jobs/{theirs['id']}{path}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    refused = mine.post(f"/api/imports/jobs/{theirs['id']}/confirm")
    assert refused.status_code == 404
    assert ImportJob.objects.get(pk=theirs["id"]).status == JobStatus.CHECKED
    assert Organization.objects.count() == 3
    area = api_for("area", area=district.area_a)
    assert area.get(f"/api/imports/jobs/{job['id']}").status_code == 404
    assert area.get("/api/imports/jobs").json()["count"] == 0


def test_jobs_list_filters_and_orders(district, api_for):
    client = api_for("district")
    good = post_file(client, csv_bytes([org_row()])).json()
    bad = post_file(client, csv_bytes([org_row(area="x1")])).json()
    assert [r["id"] for r in client.get("/api/imports/jobs").json()["results"]] == [bad["id"],
                                                                                   good["id"]]
    assert [r["id"] for r in client.get("/api/imports/jobs", {"ordering": "id"}).json()[
        "results"]] == [good["id"], bad["id"]]
    rejected = client.get("/api/imports/jobs", {"status": "rejected"}).json()
    assert [r["id"] for r in rejected["results"]] == [bad["id"]]
    unknown = client.get("/api/imports/jobs", {"ordering": "user"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_ordering"


def test_a_role_that_may_not_import_is_refused_and_nothing_stored(district, api_for):
    response = post_file(api_for("organization", organization=district.a1), csv_bytes([org_row()]))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("content, name, kind, code, field", [
    (b"", "orgs.csv", "organizations", "empty_file", "file"),
    (b"%PDF-1.4", "orgs.pdf", "organizations", "unsupported_file_type", "file"),
    (b"a,b\n", "orgs.csv", "ships", "unknown_import_kind", "kind"),
    (b"a,b\n", "orgs.csv", None, "required", "kind"),
])
def test_bad_uploads_are_422_and_store_nothing(district, api_for, content, name, kind, code,
                                               field):
    response = post_file(api_for(), content, name=name, kind=kind)
    body = response.json()
    assert response.status_code == 422, body
    assert (body["code"], body["field"]) == (code, field) and body["message"]
    assert not ImportJob.objects.exists() and not ImportIssue.objects.exists()


def test_missing_file_and_oversized_file(district, api_for, settings):
    client = api_for()
    missing = client.post("/api/imports/jobs", {"kind": "organizations"})
    assert missing.status_code == 422
    assert (missing.json()["code"], missing.json()["field"]) == ("required", "file")
    settings.SANXIN_MAX_UPLOAD_BYTES = 100    # the body passes the early limit (+1 MB of form)
    big = post_file(client, csv_bytes([org_row() for _ in range(5)]), HTTP_ACCEPT_LANGUAGE="en")
    assert big.status_code == 422
    assert (big.json()["code"], big.json()["field"]) == ("file_too_large", "file")
    assert "MB" in big.json()["message"]
    assert not ImportJob.objects.exists()


def test_a_json_body_is_not_an_upload(district, api_for):
    response = api_for().post("/api/imports/jobs", '{"kind": "organizations"}',
                              content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] in ("kind", "file")
    assert not ImportJob.objects.exists()


def test_without_a_token_401(district):
    for method, path in (("get", "/api/imports/kinds"), ("get", "/api/imports/jobs"),
                         ("post", "/api/imports/jobs"), ("post", "/api/imports/jobs/1/confirm")):
        response = getattr(Client(), method)(path)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_session_user_can_use_it_too(district, client_for):
    """The web UI's session works as for every router (the CSRF check applies to writes)."""
    client = client_for(district.district)
    assert client.get("/api/imports/kinds").status_code == 200
    assert client.get("/api/imports/jobs").json()["count"] == 0
