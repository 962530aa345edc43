"""What an import target declares: its columns, its key, how one row is read, how rows are written.

The pipeline (sanxin.imports.pipeline) does the rest for every target alike: finding the header
row, skipping blank rows, duplicate keys inside the file, scope of existing rows, the dry run,
the all-or-nothing write and the progress. A new target is one subclass of `ImportSpec`, listed in
`IMPORT_SPECS` of `sanxin/<app>/importspecs.py` (collected like panels and nav items).
"""
import re
from collections.abc import Hashable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

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
    personal: str = ""                 # "id_number" / "phone": echoed masked in problem reports

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
        """A problem of this row; the cell is echoed masked when its column holds personal data
        (the report is kept, shown and downloaded: it must not hold a raw ID number)."""
        from sanxin.core.masking import mask_as

        from .. import cells

        shown = mask_as(column.personal if column else "", cells.display(value))
        self.problems.append(RowProblem(str(column.label) if column else "", shown, str(message)))

    def parse_cells(self, raw: dict[str, Any], parsers: dict[str, Any], columns: dict[str, Column],
                    attnames: dict[str, str] | None = None) -> None:
        """Each cell through its column's parser into `data` (under its model attname); a cell the
        parser refuses is a problem named by its column. The key column `id` is read, not written."""
        from .. import cells

        attnames = attnames or {}
        for name, value in raw.items():
            try:
                parsed = parsers[name](value)
            except cells.CellError as exc:
                self.add(columns[name], value, str(exc))
                continue
            if name != "id":
                self.data[attnames.get(name, name)] = parsed


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
    # True when new rows are plain rows of `model` (the default `create`) and reading a row never
    # depends on rows written earlier in the same file: the import may then keep one COPY open
    # (sanxin.imports.pipeline.StreamingWriter).
    copy_stream: bool = False
    # True when rows are written without signals (COPY, bulk writes): the import then calls the
    # coverage summary's `after_bulk_write(model)`. False for a spec that writes through the ORM.
    summary_hook: bool = True

    def permitted(self, actor: User) -> bool:
        raise NotImplementedError

    def context(self, actor: User) -> Any:
        """Lookups built once per run (areas, departments, choices) for `parse`."""
        return None

    def parse(self, ctx: Any, row: ParsedRow, cells: dict[str, Any]) -> None:
        """Fill row.key, row.data (attname → clean value) and row.problems from the cells
        of the columns present in the file (absent optional columns are not in `cells`)."""
        raise NotImplementedError

    def parse_chunk(self, ctx: Any, numbers: list[int], block: list[list],
                    mapping: dict[int, Column]) -> list[ParsedRow]:
        """Parse a chunk of rows (`numbers[i]` is the row number of the cells `block[i]`; `mapping`
        gives the column of each cell index). Row by row through `parse`, unless a spec reads
        column by column (much faster in Python on a large file)."""
        rows = []
        for number, values in zip(numbers, block, strict=True):
            raw = {column.name: (values[index] if index < len(values) else None)
                   for index, column in mapping.items()}
            row = ParsedRow(number=number)
            self.parse(ctx, row, raw)
            rows.append(row)
        return rows

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
    if connection.vendor != "postgresql":
        now = timezone.now()
        stamped = [f.attname for f in model._meta.concrete_fields
                   if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        model.objects.bulk_create([model(**data, **dict.fromkeys(stamped, now)) for data in rows],
                                  batch_size=1000)
        return
    with CopyStream(model) as stream:
        stream.write(rows)


class CopyStream:
    """One COPY into a model's table on the current connection, kept open across many writes.

    While it is open PostgreSQL inserts the rows already sent (on its own core) as we go on
    reading the file; `close()` waits for the rest. Nothing else may use the connection until
    then: reads go elsewhere (see sanxin.imports.pipeline.StreamingWriter)."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = _insertable_fields(model)
        self._stack: ExitStack | None = None
        self._copy = None
        self._plan: list[tuple[str, bool, Any]] = []

    def __enter__(self) -> "CopyStream":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def is_open(self) -> bool:
        return self._copy is not None

    def _open(self) -> None:
        now = timezone.now()
        plan = []  # per column: (attname, given by the row?, default or preparer)
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                plan.append((f.attname, False, now))
            elif f.has_default() and callable(f.default):  # e.g. dict, uuid4: one value per row
                plan.append((f.attname, True, f.get_default))
            elif isinstance(f, _PLAIN_FIELDS):
                plan.append((f.attname, True, f.get_default()))
            else:
                plan.append((f.attname, True, _Prepared(f, f.get_default())))
        self._plan = plan
        table = connection.ops.quote_name(self.model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        stack = ExitStack()
        cursor = stack.enter_context(connection.cursor())
        self._copy = stack.enter_context(cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN"))
        self._stack = stack

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self._copy is None:
            self._open()
        write_row, plan = self._copy.write_row, self._plan
        if any(isinstance(d, _Prepared) or callable(d) for _a, _g, d in plan):
            for data in rows:
                write_row([_cell(data, attname, given, default) for attname, given, default in plan])
            return
        # the usual case: plain values, defaults that are constants (one lookup per cell)
        for data in rows:
            get = data.get
            write_row([get(attname, default) if given else default for attname, given, default in plan])

    def close(self) -> None:
        """End the COPY and wait until PostgreSQL has inserted every row sent."""
        stack, self._stack, self._copy = self._stack, None, None
        if stack is not None:
            stack.close()


class _Prepared:
    """A field whose Python value psycopg cannot take as it is (JSON, decimals …)."""

    def __init__(self, field: models.Field, default: Any):
        self.field, self.default = field, default

    def __call__(self, value: Any) -> Any:
        return self.field.get_db_prep_save(value, connection)


def _cell(data: dict[str, Any], attname: str, given: bool, default: Any) -> Any:
    if not given:
        return default
    if isinstance(default, _Prepared):
        return default(data.get(attname, default.default))
    if attname in data:
        return data[attname]
    return default() if callable(default) else default


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


def resolve_masked_phone(data: dict[str, Any], name: str, stored: str | None, column: Column) -> dict[str, Any]:
    """A phone masked by our export (138****5678) stands for the stored number: the cell is dropped
    when it masks that number, refused otherwise; a new row (`stored` None) never takes one."""
    from sanxin.core.masking import mask_phone

    from .. import cells

    value = data.get(name)
    if not value or "*" not in value:
        return data
    if stored is None or mask_phone(stored) != value:
        raise cells.CellError(str(MASKED_PHONE), column=column)
    return {k: v for k, v in data.items() if k != name}


MASKED_PHONE = gettext_lazy("A masked phone number cannot be imported: enter the full number.")


class ExportMixin:
    """A spec that can also write its rows in its own columns, so that export → import is exact."""

    def export_rows(self, actor: User, params) -> Any:
        raise NotImplementedError
