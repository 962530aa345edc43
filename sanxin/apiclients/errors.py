"""The API's error envelope: every failure becomes `{code, message, field}` with a stable code
and a message in the request's language (Accept-Language; zh-Hans by default).

`install_error_handlers(api)` is called once by config/api.py. The codes are documented in
docs/api.md; a client branches on `code`, never on `message`.
"""
import functools
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from sanxin.core.apitools import ApiError, validation_details

MESSAGES = {
    "not_authenticated": _("Authentication required: send an API token as "
                           "'Authorization: Bearer <token>'."),
    "token_invalid": _("This API token is not valid."),
    "token_expired": _("This API token has expired; ask the district for a new one."),
    "token_revoked": _("This API token has been revoked."),
    "csrf_failed": _("CSRF check failed: a browser session must send the CSRF token."),
    "forbidden": _("You may not do this."),
    "not_found": _("Not found."),
    "method_not_allowed": _("This method is not allowed here."),
    "bad_request": _("The request is not valid."),
    "malformed_json": _("The request body is not valid JSON."),
    "payload_too_large": _("The request body is too large."),
    "rate_limited": _("Too many requests with this token; retry after the time in Retry-After."),
    "precondition_required": _("Send the ETag you read in an If-Match header."),
    "precondition_failed": _("The record changed since you read it; read it again and retry."),
    "invalid_ordering": _("Unknown ordering field; see the documented fields."),
    "conflict": _("The request conflicts with the current state."),
    "server_error": _("Internal error; it has been logged."),
    # 422 field errors
    "required": _("This field is required."),
    "unknown_field": _("Unknown field."),
    "wrong_type": _("Wrong type for this field."),
    "out_of_range": _("Value out of range."),
    "too_long": _("Value too long."),
    "too_short": _("Value too short."),
    "invalid_choice": _("Not one of the allowed values."),
    "invalid": _("Invalid value."),
    "nul_character": _("Text may not contain the NUL character (U+0000)."),
    "invalid_period": _("The start of the period is after its end."),
    "unknown_credit_code": _("No organization has this unified social credit code."),
    "invalid_cursor": _("This cursor is not valid: start again from the first page."),
    "invalid_state": _("This is not possible in the current state."),
    # imports (sanxin/imports/api.py)
    "unknown_import_kind": _("Unknown import kind; GET /api/imports/kinds lists yours."),
    "empty_file": _("The file is empty."),
    "unsupported_file_type": _("Upload an .xlsx or .csv file."),
    "file_too_large": _("The file is too large: split it into several files."),
}
STATUS_CODES = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 412: "precondition_failed",
                413: "payload_too_large", 422: "invalid", 428: "precondition_required",
                429: "rate_limited"}
BODY_SOURCES = {"body", "form", "file"}
logger = logging.getLogger("django.request")


def message_for(code: str) -> str:
    return str(MESSAGES.get(code, MESSAGES["invalid"]))


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str,
                   message: str | None = None, field: str | None = None,
                   errors: list[dict] | None = None) -> HttpResponse:
    body: dict = {"code": code, "message": str(message) if message else message_for(code),
                  "field": field}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


# --- pydantic / ninja validation errors → field errors ---------------------------------------

def _pydantic_code(error_type: str) -> str:
    if error_type == "missing":
        return "required"
    if error_type == "extra_forbidden":
        return "unknown_field"
    if error_type == "json_invalid":
        return "malformed_json"
    if error_type in ("enum", "literal_error"):
        return "invalid_choice"
    if error_type.startswith(("greater_than", "less_than")) or error_type in (
            "multiple_of", "finite_number"):
        return "out_of_range"
    if error_type.endswith("too_long"):
        return "too_long"
    if error_type.endswith("too_short"):
        return "too_short"
    if error_type.endswith(("_type", "_parsing")) or error_type in ("model_attributes_type",
                                                                      "dict_type", "list_type"):
        return "wrong_type"
    return "invalid"


def field_name(loc: Iterable) -> str | None:
    """('body', 'payload', 'items', 0, 'name') → 'items.0.name'; ('query', 'page') → 'page'.
    A body parameter's own name (the second element) means nothing to a client: dropped."""
    parts = list(loc)
    if not parts:
        return None
    source, rest = parts[0], parts[1:]
    if source in BODY_SOURCES and len(rest) > 1:
        rest = rest[1:]
    return ".".join(str(part) for part in rest) or None


def _field_errors(errors: list[dict]) -> list[dict]:
    details = []
    for error in errors:
        code = _pydantic_code(str(error.get("type", "")))
        details.append({"code": code, "message": message_for(code),
                        "field": field_name(error.get("loc", ()))})
    return details


# --- guards before the view -------------------------------------------------------------------

def nul_character_field(request: HttpRequest) -> str | None:
    """The first input holding a NUL character, which PostgreSQL cannot store or compare
    (it would fail the whole request): a query parameter's name, or 'body'."""
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "") or "query"
    if "\x00" in request.path:
        return "path"
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type.endswith("json"):
        try:
            body = request.body
        except RequestDataTooBig:
            return None  # answered as 413 by the handler below
        if b"\x00" in body or b"\\u0000" in body:
            return "body"
    return None


def refuse_nul_characters(api: NinjaAPI, view):
    @functools.wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs):
        field = nul_character_field(request)
        if field is not None:
            return error_response(api, request, 422, "nul_character", field=field)
        return view(request, *args, **kwargs)

    return guarded


# --- handlers ----------------------------------------------------------------------------------

def install_error_handlers(api: NinjaAPI) -> None:
    def on_api_error(request, exc: ApiError):
        response = error_response(api, request, exc.status, exc.code, exc.message, exc.field)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def on_validation(request, exc: ValidationError):
        details = _field_errors(exc.errors)
        if any(d["code"] == "malformed_json" for d in details):
            return error_response(api, request, 400, "malformed_json")
        first = details[0] if details else {"code": "invalid", "message": None, "field": None}
        return error_response(api, request, 422, first["code"], first["message"], first["field"],
                              details)

    def on_django_validation(request, exc: DjangoValidationError):
        details = validation_details(exc)
        first = details[0]
        return error_response(api, request, 422, "invalid", first["message"], first["field"],
                              details)

    def on_http_error(request, exc: HttpError):
        status = exc.status_code
        code = STATUS_CODES.get(status, "bad_request" if status < 500 else "server_error")
        if status == 400 and isinstance(exc.__cause__, (ValueError, json.JSONDecodeError)):
            code = "malformed_json"
        elif status == 403 and "CSRF" in str(exc):
            code = "csrf_failed"
        response = error_response(api, request, status, code)
        if isinstance(exc, Throttled) and exc.wait is not None:
            response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
        return response

    def on_too_big(request, exc: RequestDataTooBig):
        return error_response(api, request, 413, "payload_too_large",
                              _("The request body is too large (at most %(limit)s bytes).")
                              % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    def on_unexpected(request, exc: Exception):
        """Still a 500, but in the envelope; the signal keeps error reporting (and the test
        client's re-raise) working as if the exception had reached Django."""
        if settings.DEBUG:
            raise exc
        logger.error("Internal Server Error: %s", request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return error_response(api, request, 500, "server_error")

    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(ApiError, on_api_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_http_error)
    api.add_exception_handler(AuthorizationError, on_http_error)
    api.add_exception_handler(Throttled, on_http_error)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Http404, lambda request, exc: error_response(api, request, 404,
                                                                            "not_found"))
    api.add_exception_handler(PermissionDenied, lambda request, exc: error_response(
        api, request, 403, "forbidden"))
