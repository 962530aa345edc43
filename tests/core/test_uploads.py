"""A request declaring a body above SANXIN_MAX_UPLOAD_BYTES (+1 MB of form) is refused with 413
before any of it is read, on the pages and in the API; nothing is created."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from sanxin.apiclients.services import api_client_create
from sanxin.core.uploads import FORM_OVERHEAD_BYTES, BodyLimitMiddleware
from sanxin.imports.models import ImportJob


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


@pytest.fixture
def small_limit(settings):
    settings.SANXIN_MAX_UPLOAD_BYTES = 1000
    return 1000 + FORM_OVERHEAD_BYTES


def over(limit: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("orgs.csv", b"x" * (limit + 1))


def test_the_body_is_not_read(small_limit, rf: RequestFactory):
    request = rf.post("/api/imports/jobs", data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(small_limit + 1)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    response = BodyLimitMiddleware(lambda r: HttpResponse(r.body))(request)
    assert response.status_code == 413


def test_a_body_at_the_limit_goes_through(small_limit, rf: RequestFactory):
    request = rf.post("/imports/", data=b"a=1", content_type="application/x-www-form-urlencoded")
    request.META["CONTENT_LENGTH"] = str(small_limit)
    response = BodyLimitMiddleware(lambda r: HttpResponse("passed"))(request)
    assert response.content == b"passed"


@pytest.mark.parametrize("length", ["", "abc"])
def test_no_or_a_malformed_length_is_left_to_django(small_limit, rf: RequestFactory, length):
    request = rf.get("/")
    request.META["CONTENT_LENGTH"] = length
    assert BodyLimitMiddleware(lambda r: HttpResponse("passed"))(request).content == b"passed"


def test_the_api_answers_in_its_envelope(district, small_limit, client):
    _, token = api_client_create(actor=district.district, name="big", role_kind="district",
                                 expires_in_days=1, rate_limit_per_minute=1000)
    response = client.post("/api/imports/jobs", {"kind": "organizations", "file": over(small_limit)},
                           HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "payload_too_large" and body["field"] is None
    assert "0 MB" in body["message"] and "split" in body["message"]
    assert not ImportJob.objects.exists()


def test_the_page_answers_in_chinese(district, small_limit, client):
    client.force_login(district.district)
    response = client.post("/imports/", {"target": "organizations", "file": over(small_limit)},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 413
    page = response.content.decode()
    assert 'id="upload-too-large"' in page and "拆分" in page
    assert not ImportJob.objects.exists()
