"""The largest request body anyone may send, refused before a byte of it is read.

A file's own limit (an import's 300 MB, an attachment's 10 MB) can only be checked once Django
has received it, to a temporary file on disk: without this, a 5 GB upload would be read in full
before being refused. A WSGI request with a body declares its length (Django reads no multipart
body without `Content-Length`, and never more than it), so a declared length above
`SANXIN_MAX_UPLOAD_BYTES` is answered at once with 413: the API's error envelope under `/api/`,
a page elsewhere. A front proxy should refuse such bodies too (docs/operations.md).
"""
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# What a form adds around the file (boundaries, headers, other fields).
FORM_OVERHEAD_BYTES = 1024 * 1024


def body_limit() -> int:
    return settings.SANXIN_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES


def too_large_message() -> str:
    return _("The upload is larger than %(mb)d MB: split the file into several files.") % {
        "mb": settings.SANXIN_MAX_UPLOAD_BYTES // (1024 * 1024)}


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > body_limit():
            return _refuse(request)
        return self.get_response(request)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0     # Django refuses a malformed length itself


def _refuse(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        from config.api import api
        from sanxin.apiclients.errors import error_response

        return error_response(api, request, 413, "payload_too_large", too_large_message())
    return render(request, "413.html", {"message": too_large_message()}, status=413)
