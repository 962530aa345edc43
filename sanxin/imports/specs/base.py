"""What an import target declares: its columns, its key, how one row is read, how rows are written.

The pipeline (sanxin.imports.pipeline) does the rest for every target alike: finding the header
row, skipping blank rows, duplicate keys inside the file, scope of existing rows, the dry run,
the all-or-nothing write and the progress. A new target is one subclass of `ImportSpec`, listed in
`IMPORT_SPECS` of `sanxin/<app>/importspecs.py` (collected like panels and nav items).
"""
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone, translation

from sanxin.accounts.models import User
from sanxin.core.validators import normalize_text


def header_key(value: Any) -> str:
    """Headers compare without case, spaces, full-width forms or the * of required columns."""
    return re.sub(r"[\s*]+", "", normalize_text(value).lower())


@dataclass(frozen=True)
class Column:
    name: str                          # the spec's name for the column (the key of the raw cells)
    label: Any                         # lazy translated header, also matched in every language
    required: bool = False             # the column must be in the file (cells may still be blank)
    aliases: tuple[str, ...] = ()      # further accepted headers (e.g. the bureau's own export)
    example: str = ""                  # shown in the downloadable template
    note: Any = ""                     # short hint for the template

    def header_keys(self) -> set[str]:
        keys = {header_key(alias) for alias in self.aliases}
        for code, _name in _languages():
            with translation.override(code):
                keys.add(header_key(str(self.label)))
        return keys


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


@dataclass
class RowProblem:
    column: str   # the column's header as the user reads it ("" for the whole row)
    value: str
    message: str


@dataclass
class ParsedRow:
    number: int                                # the spreadsheet's row number
    key: Hashable | None = None                # None: always a new row
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)

    def add(self, column: Column | None, value: Any, message: str) -> None:
        from .. import cells

        self.problems.append(RowProblem(str(column.label) if column else "", cells.display(value),
                                        str(message)))


@dataclass
class Existing:
    pk: int
    visible: bool                     # inside the actor's scope: may be updated
    values: dict[str, Any]            # current values of the importable fields


class ImportSpec:
    """Subclass per target. Keep subclasses declarative; put rules in the model app's rules."""

    name: str = ""
    label: Any = ""
    model: type[models.Model]
    columns: Sequence[Column] = ()
    order: int = 100
    description: Any = ""

    def permitted(self, actor: User) -> bool:
        raise NotImplementedError

    def context(self, actor: User) -> Any:
        """Lookups built once per run (areas, departments, choices) for `parse`."""
        return None

    def parse(self, ctx: Any, row: ParsedRow, cells: dict[str, Any]) -> None:
        """Fill row.key, row.data (attname → clean value) and row.problems from the cells
        of the columns present in the file (absent optional columns are not in `cells`)."""
        raise NotImplementedError

    def find_existing(self, ctx: Any, actor: User, keys: list[Hashable]) -> dict[Hashable, Existing]:
        raise NotImplementedError

    def must_exist(self, key: Hashable) -> bool:
        """True for keys that only name existing rows (e.g. our own ID): never inserted."""
        return False

    def describe_key(self, key: Hashable) -> str:
        return str(key)

    def changes(self, existing: Existing, data: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in data.items() if existing.values.get(name) != value}

    def prepare_new(self, data: dict[str, Any]) -> dict[str, Any]:
        """A last check of a row that will be inserted (may raise cells.CellError)."""
        return data

    def create(self, ctx: Any, rows: list[dict[str, Any]]) -> None:
        insert_rows(self.model, rows)

    def update(self, ctx: Any, rows: list[tuple[Existing, dict[str, Any]]]) -> None:
        update_rows(self.model, rows)

    # helpers for templates and header matching
    def column_by_header(self) -> dict[str, Column]:
        found: dict[str, Column] = {}
        for column in self.columns:
            for key in column.header_keys():
                found.setdefault(key, column)
        return found

    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def _insertable_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields
            if not f.primary_key and not getattr(f, "generated", False)]


# Field types whose clean Python values psycopg adapts as they are: COPY skips Django's per-value
# preparation for them (it costs more than the COPY itself on a million rows).
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField,
                 models.BooleanField, models.DateField, models.ForeignKey)


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert new rows: PostgreSQL COPY (the fastest path into a table and its indexes, inside
    the caller's transaction), else bulk_create."""
    if not rows:
        return
    now = timezone.now()
    stamped = [f.attname for f in model._meta.concrete_fields
               if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**data, **dict.fromkeys(stamped, now)) for data in rows],
                                  batch_size=1000)
        return
    fields = _insertable_fields(model)
    makers = []
    for f in fields:
        if f.attname in stamped:
            makers.append((f.attname, now, None))
        elif callable(f.default):
            makers.append((f.attname, f.get_default, None))
        else:
            prepare = None if isinstance(f, _PLAIN_FIELDS) else (lambda v, f=f: f.get_db_prep_save(v, connection))
            makers.append((f.attname, f.get_default(), prepare))
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for data in rows:
            copy.write_row([_value(data, attname, default, prepare) for attname, default, prepare in makers])


def _value(data: dict[str, Any], attname: str, default: Any, prepare) -> Any:
    value = data[attname] if attname in data else (default() if callable(default) else default)
    return value if prepare is None else prepare(value)


def update_rows(model: type[models.Model], rows: list[tuple[Existing, dict[str, Any]]]) -> None:
    """Update changed rows; every changed field of the batch is written from merged values."""
    if not rows:
        return
    fields = sorted({name for _existing, changes in rows for name in changes})
    touch = [f.attname for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    now = timezone.now()
    objects = []
    for existing, changes in rows:
        values = {name: existing.values.get(name) for name in fields}
        values.update(changes)
        values.update({name: now for name in touch})
        objects.append(model(pk=existing.pk, **values))
    model.objects.bulk_update(objects, [*fields, *touch], batch_size=500)


class ExportMixin:
    """A spec that can also write its rows in its own columns, so that export → import is exact."""

    def export_rows(self, actor: User, params) -> Any:
        raise NotImplementedError
