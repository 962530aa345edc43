"""Shared API conventions: page-number pagination with totals, and error bodies with a code."""
from typing import Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

T = TypeVar("T")
MAX_PAGE_SIZE = 200


class PageParams(Schema):
    page: int = Field(1, ge=1, description="1-based page number")
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


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None
