"""Shared API conventions (docs/api.md): page pagination with totals, one error envelope with
stable codes, strict input schemas, ordering by documented fields, ETag / If-Match.

Routers raise `ApiError(status, code, field=...)`; the handlers installed on the one NinjaAPI
(sanxin/apiclients/errors.py) turn it and every other failure into `ErrorOut` with a translated
message, so every app answers bad input the same way.
"""
import hashlib
from collections.abc import Mapping, Sequence
from typing import Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import ConfigDict, Field

T = TypeVar("T")
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


class PageParams(Schema):
    # bounded so that page × page_size stays a 64-bit OFFSET (a huge page was a 500 on SQLite)
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number (at most 1,000,000)")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="rows per page (at most 200)")


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


def paginate(queryset: QuerySet, params: PageParams) -> dict:
    start = (params.page - 1) * params.page_size
    return {
        "count": queryset.count(),
        "page": params.page,
        "page_size": params.page_size,
        "results": list(queryset[start:start + params.page_size]),
    }


class ErrorDetail(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    """The one error envelope. `errors` lists every problem when there are several (422)."""

    code: str
    message: str
    field: str | None = None
    errors: list[ErrorDetail] | None = None


class InputSchema(Schema):
    """Base for request bodies: a field the schema does not declare is refused (422
    `unknown_field`) instead of being silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ApiError(Exception):
    """An API failure with a stable code. `message` may be omitted for the codes that have a
    standard translated message (sanxin/apiclients/errors.py, MESSAGES)."""

    def __init__(self, status: int, code: str, message: str | None = None, *,
                 field: str | None = None, headers: Mapping[str, str] | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = dict(headers or {})
        super().__init__(code if message is None else f"{code}: {message}")


# --- ordering -------------------------------------------------------------------------------

class OrderingParams(Schema):
    ordering: str = Field("", description="comma-separated field names; '-' before a name sorts "
                                          "descending, e.g. `-created_at,name`")


def apply_ordering(queryset: QuerySet, ordering: str, allowed: Mapping[str, str],
                   default: Sequence[str] = ("id",)) -> QuerySet:
    """Order by documented public names only (`allowed` maps a public name to an ORM lookup).
    An unknown name is a 422 `invalid_ordering` on the field `ordering`; the primary key is
    always the last key so that pages are stable."""
    keys: list[str] = []
    for raw in (part.strip() for part in ordering.split(",")):
        if not raw:
            continue
        descending = raw.startswith("-")
        name = raw.removeprefix("-")
        if name not in allowed:
            raise ApiError(422, "invalid_ordering", field="ordering")
        keys.append(("-" if descending else "") + allowed[name])
    keys = keys or list(default)
    if not {"id", "-id", "pk", "-pk"} & set(keys):
        keys.append("id")
    return queryset.order_by(*keys)


# --- ETag / If-Match ------------------------------------------------------------------------

def etag_for(*parts: object) -> str:
    """A strong ETag from the values that change when the row changes (e.g. pk, state and a
    version counter or `updated_at`)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:24]}"'


def set_etag(response: HttpResponse, etag: str) -> None:
    """Declare `response: HttpResponse` in a ninja view to receive the response to decorate."""
    response["ETag"] = etag


def require_if_match(request: HttpRequest, current_etag: str, *, required: bool = True) -> None:
    """Refuse a write whose `If-Match` is not the row's current ETag: 412 `precondition_failed`
    (stale), or 428 `precondition_required` when the header is missing and `required`.

    Call it after locking the row (select_for_update inside the transaction of the write),
    so that no other write can slip in between the check and the change."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise ApiError(428, "precondition_required", field="If-Match")
        return
    offered = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in offered and current_etag.removeprefix("W/") not in offered:
        raise ApiError(412, "precondition_failed", field="If-Match",
                       headers={"ETag": current_etag})
