"""Shared API conventions (docs/api.md): numbered or cursor pagination with totals, one error
envelope with stable codes, strict input schemas, bounded query parameters, ordering by
documented fields, ETag / If-Match.

Routers raise `ApiError(status, code, field=...)`; the handlers installed on the one NinjaAPI
(sanxin/apiclients/errors.py) turn it and every other failure into `ErrorOut` with a translated
message, so every app answers bad input the same way.
"""
import datetime
import hashlib
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Annotated, Generic, TypeVar

from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Schema, Status
from pydantic import ConfigDict, Field

T = TypeVar("T")
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000
MAX_ID = 2**63 - 1
# An id given as a filter: a larger number cannot be a row's id and would overflow SQLite (500).
IdParam = Annotated[int, Field(ge=1, le=MAX_ID)]
# A date given as a filter: the ends of the calendar (0001-01-01, 9999-12-31) overflow when a
# filter turns them into datetimes in Asia/Shanghai or adds a day (500).
DateParam = Annotated[datetime.date, Field(ge=datetime.date(1900, 1, 1),
                                           le=datetime.date(2100, 12, 31))]


CURSOR_SALT = "sanxin.api.cursor"
# A keyset cursor carries the sort keys of the last row sent (a long name among them).
MAX_CURSOR = 4096


class PageParams(Schema):
    # bounded so that page × page_size stays a 64-bit OFFSET (a huge page was a 500 on SQLite)
    page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number (at most 1,000,000)")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="rows per page (at most 200)")
    cursor: str | None = Field(
        None, max_length=MAX_CURSOR,
        description="Cursor pagination instead of pages: send `cursor=` (empty) for the first "
                    "page, then the `next_cursor` of each answer (with the same `ordering`). "
                    "Cursor pages are in id order, or in the `ordering` given, and neither skip "
                    "nor repeat rows when rows are added meanwhile; `page` is then ignored.")


class Page(Schema, Generic[T]):
    count: int
    page: int | None = Field(description="the page number; null for a cursor page")
    page_size: int
    next_cursor: str | None = Field(
        None, description="cursor of the next page (cursor pagination), null on the last page "
                          "and for numbered pages")
    results: list[T]


def paginate(queryset: QuerySet, params: PageParams,
             allowed: Mapping[str, str] | None = None) -> dict:
    """A numbered page (`page`) or, when `params.cursor` is given, a cursor page; both with the
    total `count`. When `params` has a non-empty `ordering` (a PageParams subclass declaring it
    with `ordering_field(allowed)`), both follow it, by the public names of `allowed` only;
    otherwise numbered pages keep the queryset's order and cursor pages are in id order."""
    ordering = (getattr(params, "ordering", "") or "").strip()
    keys = ordering_keys(ordering, allowed or {}) if ordering else []
    if params.cursor is not None:
        if keys:
            return _keyset_page(queryset, params, ordering, keys)
        return _cursor_page(queryset, params)
    ordered = _order_by_keys(queryset, keys) if keys else queryset
    start = (params.page - 1) * params.page_size
    return {
        "count": queryset.count(),
        "page": params.page,
        "page_size": params.page_size,
        "next_cursor": None,
        "results": list(ordered[start:start + params.page_size]),
    }


def encode_cursor(last_id: int) -> str:
    return signing.dumps(last_id, salt=CURSOR_SALT)


def _load_cursor(cursor: str) -> object:
    try:
        return signing.loads(cursor, salt=CURSOR_SALT)
    except signing.BadSignature:
        raise ApiError(422, "invalid_cursor", field="cursor") from None


def decode_cursor(cursor: str) -> int:
    """The id after which the page starts (0: the first page). A cursor the server did not
    sign, or one altered, is 422 `invalid_cursor`."""
    if not cursor:
        return 0
    last_id = _load_cursor(cursor)
    if not isinstance(last_id, int) or isinstance(last_id, bool):
        raise ApiError(422, "invalid_cursor", field="cursor")
    return last_id


def _cursor_page(queryset: QuerySet, params: PageParams) -> dict:
    """Keyset pagination: `id > last id`, one row more than asked to know whether a next page
    exists. `count` is the whole list, as for numbered pages."""
    after = decode_cursor(params.cursor or "")
    rows = list(queryset.filter(pk__gt=after).order_by("pk")[:params.page_size + 1])
    has_more = len(rows) > params.page_size
    rows = rows[:params.page_size]
    return {
        "count": queryset.count(),
        "page": None,
        "page_size": params.page_size,
        "next_cursor": encode_cursor(rows[-1].pk) if has_more else None,
        "results": rows,
    }


# --- keyset pages under an ordering ---------------------------------------------------------
# The cursor holds the ordering it was made for and the sort keys of the last row sent; the next
# page is the rows strictly after that row in the same total order (the keys, then the primary
# key). NULL sorts as the largest value on every database (last ascending, first descending),
# so that the SQL order and the "after" condition agree on PostgreSQL and SQLite alike.

def _cursor_value(value: object) -> object:
    """A sort key as JSON (the cursor is signed JSON): dates, times and decimals tagged."""
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"dec": str(value)}
    return value


def _python_value(value: object) -> object:
    if isinstance(value, dict) and len(value) == 1:
        (tag, text), = value.items()
        parse = {"dt": datetime.datetime.fromisoformat, "d": datetime.date.fromisoformat,
                 "dec": Decimal}.get(tag)
        if parse is None or not isinstance(text, str):
            raise ValueError(tag)
        return parse(text)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(value)


def encode_keyset_cursor(ordering: str, values: Sequence[object], last_id: int) -> str:
    return signing.dumps([ordering, [_cursor_value(v) for v in values], last_id],
                         salt=CURSOR_SALT, compress=True)


def decode_keyset_cursor(cursor: str, ordering: str, size: int) -> tuple[list, int] | None:
    """(sort keys, id) of the last row of the previous page; None for the first page. A cursor
    of another ordering (or of id order) is 422 `invalid_cursor`, as is a forged one."""
    if not cursor:
        return None
    payload = _load_cursor(cursor)
    try:
        made_for, raw, last_id = payload
        values = [_python_value(v) for v in raw]
    except (TypeError, ValueError, InvalidOperation):
        raise ApiError(422, "invalid_cursor", field="cursor") from None
    if (made_for != ordering or len(values) != size or not isinstance(last_id, int)
            or isinstance(last_id, bool)):
        raise ApiError(422, "invalid_cursor", field="cursor")
    return values, last_id


def _key_alias(index: int) -> str:
    return f"cursor_key_{index}"


def _after(keys: Sequence[tuple[str, bool]], values: Sequence[object], last_id: int,
           id_descending: bool) -> Q:
    """Rows strictly after the one whose sort keys are `values`: for each key in turn, equal on
    the keys before it and strictly after on it; last, equal on all and after on the id."""
    condition = Q(pk__in=[])
    equal = Q()
    for index, ((_lookup, descending), value) in enumerate(zip(keys, values, strict=True)):
        alias = _key_alias(index)
        if value is None:   # NULL is the largest value
            beyond = Q(**{f"{alias}__isnull": False}) if descending else Q(pk__in=[])
            same = Q(**{f"{alias}__isnull": True})
        else:
            beyond = (Q(**{f"{alias}__lt": value}) if descending
                      else Q(**{f"{alias}__gt": value}) | Q(**{f"{alias}__isnull": True}))
            same = Q(**{alias: value})
        condition |= equal & beyond
        equal &= same
    return condition | (equal & Q(**{"pk__lt" if id_descending else "pk__gt": last_id}))


def _keyset_page(queryset: QuerySet, params: PageParams, ordering: str,
                 keys: list[tuple[str, bool]]) -> dict:
    *sort_keys, (_pk, id_descending) = keys  # ordering_keys always ends on the primary key
    annotated = queryset.annotate(**{_key_alias(i): F(lookup)
                                     for i, (lookup, _d) in enumerate(sort_keys)})
    ordered = _order_by_keys(annotated, [(_key_alias(i), d) for i, (_l, d) in enumerate(sort_keys)]
                             + [("pk", id_descending)])
    start = decode_keyset_cursor(params.cursor or "", ordering, len(sort_keys))
    if start is not None:
        ordered = ordered.filter(_after(sort_keys, *start, id_descending))
    rows = list(ordered[:params.page_size + 1])
    has_more = len(rows) > params.page_size
    rows = rows[:params.page_size]
    next_cursor = None
    if has_more:
        last = rows[-1]
        next_cursor = encode_keyset_cursor(
            ordering, [getattr(last, _key_alias(i)) for i in range(len(sort_keys))], last.pk)
    return {
        "count": queryset.count(),
        "page": None,
        "page_size": params.page_size,
        "next_cursor": next_cursor,
        "results": rows,
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


# Responses a write operation declares for the domain errors it answers itself (ninja refuses
# to send a status the operation did not declare).
WRITE_ERRORS = {403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def validation_details(exc: DjangoValidationError) -> list[dict]:
    """A Django ValidationError (a service's domain rule, a form's errors) as envelope details:
    one per message, `field` named (None for a non-field error)."""
    if hasattr(exc, "error_dict"):
        return [{"code": "invalid", "message": str(message),
                 "field": None if name == "__all__" else name}
                for name, messages in exc.message_dict.items() for message in messages]
    return [{"code": "invalid", "message": str(message), "field": None} for message in exc.messages]


def validation_error(exc: DjangoValidationError) -> Status:
    """`return validation_error(exc)` from a view: 422 `invalid`, the first problem on top."""
    details = validation_details(exc)
    return Status(422, {**details[0], "errors": details})


def forbidden(message: object = None) -> Status:
    """`return forbidden(_("Your role may not …"))` from a view: 403 `forbidden`."""
    return Status(403, {"code": "forbidden", "message": str(message or _("You may not do this.")),
                        "field": None})


# --- ordering -------------------------------------------------------------------------------

ORDERING_HELP = ("comma-separated field names; '-' before a name sorts descending, e.g. "
                 "`-created_at,name`. Ties are broken by id; empty values (null) sort last "
                 "ascending and first descending.")


class OrderingParams(Schema):
    ordering: str = Field("", max_length=200, description=ORDERING_HELP)


def ordering_field(allowed: Mapping[str, str], default: str) -> object:
    """The `ordering` query parameter of one list, its allowed names in its description:
    `ordering: str = ordering_field(FIELDS, "-created_at")` in a PageParams subclass."""
    names = ", ".join(f"`{name}`" for name in allowed)
    return Field("", max_length=200,
                 description=f"Order by {names} ({ORDERING_HELP}) Without it: {default}.")


def ordering_keys(ordering: str, allowed: Mapping[str, str]) -> list[tuple[str, bool]]:
    """(ORM lookup, descending) per documented public name, the primary key last. An unknown
    name is a 422 `invalid_ordering` on the field `ordering`, the message naming it."""
    keys: list[tuple[str, bool]] = []
    for raw in (part.strip() for part in ordering.split(",")):
        if not raw:
            continue
        descending = raw.startswith("-")
        name = raw.removeprefix("-")
        if name not in allowed:
            raise ApiError(422, "invalid_ordering", _unknown_ordering_message(name, allowed),
                           field="ordering")
        lookup = allowed[name]
        if lookup in ("id", "pk"):
            keys.append(("pk", descending))
            break  # the primary key is unique: later keys cannot change the order
        keys.append((lookup, descending))
    if not keys or keys[-1][0] != "pk":
        keys.append(("pk", False))
    return keys


def _unknown_ordering_message(name: str, allowed: Mapping[str, str]) -> str:
    return str(_("Unknown ordering field “%(name)s”; allowed: %(allowed)s.")) % {
        "name": name[:60], "allowed": ", ".join(allowed)}


def _order_by_keys(queryset: QuerySet, keys: Sequence[tuple[str, bool]]) -> QuerySet:
    return queryset.order_by(*(F(lookup).desc(nulls_first=True) if descending
                               else F(lookup).asc(nulls_last=True)
                               for lookup, descending in keys))


def apply_ordering(queryset: QuerySet, ordering: str, allowed: Mapping[str, str],
                   default: Sequence[str] = ("id",)) -> QuerySet:
    """Order by documented public names only (`allowed` maps a public name to an ORM lookup).
    An unknown name is a 422 `invalid_ordering` on the field `ordering`; the primary key is
    always the last key so that pages are stable. Without names: `default` (ORM lookups)."""
    if not ordering.strip(" ,"):
        keys = list(default)
        if not {"id", "-id", "pk", "-pk"} & set(keys):
            keys.append("id")
        return queryset.order_by(*keys)
    return _order_by_keys(queryset, ordering_keys(ordering, allowed))


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
