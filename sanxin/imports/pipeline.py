"""One pass over an uploaded table for any ImportSpec: the dry run (write=False) and the import
(write=True, inside the caller's transaction). Streaming: rows are read, checked and written in
chunks; only the keys (and records) already seen are kept, to find duplicates inside the file."""
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.core.masking import mask_personal_text

from . import cells
from .readers import Table, UnreadableFile, open_table
from .specs.base import Column, CopyStream, ImportSpec, ParsedRow, RowProblem, header_key

CHUNK_ROWS = 2000
HEADER_SCAN_ROWS = 30
MAX_KEPT_PROBLEMS = 5000  # all are counted; this many are kept for the page and the download

ProgressCallback = Callable[[int, int | None], None]


@dataclass
class Problem:
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class Report:
    header_row: int | None = None
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    unchanged: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int | None, problem: RowProblem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            # A second net under the specs' personal columns: an ID or mobile number typed into
            # another column, or quoted by a message, is masked before the report is kept.
            self.problems.append(Problem(row, problem.column, mask_personal_text(problem.value),
                                         mask_personal_text(problem.message)))

    def file_problem(self, message: str) -> "Report":
        self.add(None, RowProblem("", "", message))
        return self

    @property
    def clean(self) -> bool:
        return self.problem_count == 0


class Writer:
    """Writes each checked chunk through the spec, on the one connection (the dry run writes
    nothing)."""

    def __init__(self, spec: ImportSpec, ctx: Any, *, write: bool):
        self.spec, self.ctx, self.write = spec, ctx, write

    @contextmanager
    def reads(self):
        yield

    def flush(self, creates: list[dict], updates: list) -> None:
        if self.write:
            self.spec.create(self.ctx, creates)
            self.spec.update(self.ctx, updates)

    def close(self) -> None:
        pass


class StreamingWriter(Writer):
    """PostgreSQL, for specs whose new rows are plain table rows (`ImportSpec.copy_stream`): one
    COPY stays open across the file, so the database inserts (and indexes) the rows already sent
    on its own core while this process reads and checks the next ones; only a chunk with updates
    closes it. The existence checks cannot use the connection during the COPY: they go through
    `reader`, a second connection, which sees what was committed before the import began, the
    same as the import's own transaction does for every key not yet written, and keys are
    written once (duplicates inside the file are refused)."""

    def __init__(self, spec: ImportSpec, ctx: Any, reader: BaseDatabaseWrapper):
        super().__init__(spec, ctx, write=True)
        self.reader = reader
        self.stream = CopyStream(spec.model)

    @contextmanager
    def reads(self):
        own = connections[DEFAULT_DB_ALIAS]
        connections[DEFAULT_DB_ALIAS] = self.reader  # this thread only: connections are thread-local
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = own

    def flush(self, creates: list[dict], updates: list) -> None:
        if updates:
            self.stream.close()
            self.spec.update(self.ctx, updates)
        self.stream.write(creates)

    def close(self) -> None:
        self.stream.close()


def process(spec: ImportSpec, actor: User, path: str, *, write: bool,
            progress: ProgressCallback | None = None, reader: BaseDatabaseWrapper | None = None) -> Report:
    """Read the file at `path` for `spec` as `actor`. With write=True, rows are written as long as
    no problem has been met; the caller's transaction must be rolled back unless the report is
    clean. `reader` (a second connection) lets a `copy_stream` spec stream its rows with COPY."""
    report = Report()
    try:
        table = open_table(path)
        header = _find_header(spec, table, report)
        if header is None:
            return report
        mapping, pending = header
        ctx = spec.context(actor)
        if write and reader is not None and spec.copy_stream:
            writer: Writer = StreamingWriter(spec, ctx, reader)
        else:
            writer = Writer(spec, ctx, write=write)
        try:
            _process_rows(spec, actor, ctx, table, mapping, pending, report, writer, progress)
        finally:
            writer.close()  # an unclean report is rolled back by the caller
    except UnreadableFile as exc:
        report.file_problem(str(exc))
    return report


def _find_header(spec: ImportSpec, table: Table,
                 report: Report) -> tuple[dict[int, Column], list[tuple[int, list]]] | None:
    """The header is the row among the first ones that names the most known columns: districts
    put a title, a date or the issuing office above it."""
    by_header = spec.column_by_header()
    scanned: list[tuple[int, list]] = []
    best: tuple[int, int] | None = None  # (score, index in scanned)
    for number, values in table.rows:
        scanned.append((number, values))
        score = len({by_header[k].name for k in map(header_key, values) if k in by_header})
        if score and (best is None or score > best[0]):
            best = (score, len(scanned) - 1)
        if len(scanned) >= HEADER_SCAN_ROWS:
            break
    if not any(any(not cells.is_blank(v) for v in values) for _n, values in scanned):
        report.file_problem(_("The file has no rows."))
        return None
    if best is None or best[0] < min(2, len(spec.required_columns()) or 1):
        names = ", ".join(str(c.label) for c in spec.required_columns())
        report.file_problem(_("No header row found in the first %(n)d rows: the file must have a row "
                              "with the column names (%(names)s). Download the template to see them.")
                            % {"n": HEADER_SCAN_ROWS, "names": names})
        return None
    header_number, header_values = scanned[best[1]]
    report.header_row = header_number
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, value in enumerate(header_values):
        column = by_header.get(header_key(value))
        if column is None:
            continue
        if column.name in seen:
            report.file_problem(_("The column “%(column)s” appears twice in the header (row %(row)d).")
                                % {"column": column.label, "row": header_number})
            continue
        seen[column.name] = index
        mapping[index] = column
    missing = [str(c.label) for c in spec.required_columns() if c.name not in seen]
    if missing:
        report.file_problem(_("Missing column(s) in the header (row %(row)d): %(columns)s.")
                            % {"row": header_number, "columns": ", ".join(missing)})
    if not report.clean:
        return None
    return mapping, scanned[best[1] + 1:]


def _data_rows(table: Table, pending: list[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    yield from pending
    yield from table.rows


def _process_rows(spec: ImportSpec, actor: User, ctx: Any, table: Table, mapping: dict[int, Column],
                  pending: list, report: Report, writer: Writer, progress: ProgressCallback | None) -> None:
    seen = Seen()
    numbers: list[int] = []
    block: list[list] = []
    for number, values in _data_rows(table, pending):
        if _is_blank_row(values):
            continue  # blank rows between blocks are a spreadsheet habit, not an error
        numbers.append(number)
        block.append(values)
        if len(block) >= CHUNK_ROWS:
            _flush(spec, actor, ctx, spec.parse_chunk(ctx, numbers, block, mapping), seen, report, writer)
            if progress:
                progress(report.rows, table.estimated_rows)
            numbers, block = [], []
    _flush(spec, actor, ctx, spec.parse_chunk(ctx, numbers, block, mapping), seen, report, writer)
    if progress:
        progress(report.rows, report.rows)
    if report.rows == 0 and report.clean:
        report.file_problem(_("The file has a header but no data rows."))


def _is_blank_row(values: list) -> bool:
    try:
        return not "".join(values).strip()  # CSV rows are all text: one C-speed test
    except TypeError:
        return all(cells.is_blank(v) for v in values)


@dataclass
class Seen:
    keys: dict[Hashable, int] = field(default_factory=dict)     # key → first row number
    records: dict[int, int] = field(default_factory=dict)       # existing pk → first row number


def _flush(spec: ImportSpec, actor: User, ctx: Any, chunk: list[ParsedRow], seen: Seen,
           report: Report, writer: Writer) -> None:
    report.rows += len(chunk)
    for row in chunk:
        if row.key is None:
            continue
        first = seen.keys.setdefault(row.key, row.number)
        if first != row.number:
            row.problems.append(RowProblem("", spec.describe_key(row.key), _(
                "Duplicate key %(key)s: already in row %(first)d of this file.")
                % {"key": spec.describe_key(row.key), "first": first}))
    clean = [row for row in chunk if not row.problems]
    with writer.reads():
        existing = spec.find_existing(ctx, actor, [row.key for row in clean if row.key is not None])
    creates: list[dict] = []
    updates: list = []
    for row in clean:
        current = existing.get(row.key) if row.key is not None else None
        try:
            if current is None:
                if row.key is not None and spec.must_exist(row.key):
                    row.problems.append(RowProblem("", spec.describe_key(row.key), _(
                        "%(key)s does not exist in your scope.") % {"key": spec.describe_key(row.key)}))
                else:
                    creates.append(spec.prepare_new(row.data))
            elif not current.visible:
                row.problems.append(RowProblem("", spec.describe_key(row.key), _(
                    "%(key)s belongs to a record outside your scope: it cannot be changed from "
                    "this file.") % {"key": spec.describe_key(row.key)}))
            elif (first := seen.records.setdefault(current.pk, row.number)) != row.number:
                # e.g. one row by credit code and one by our ID: two rows, one record
                row.problems.append(RowProblem("", spec.describe_key(row.key), _(
                    "Row %(first)d of this file already changes the same record.") % {"first": first}))
            else:
                changed = spec.changes(current, row.data)
                if changed:
                    updates.append((current, changed))
                else:
                    report.unchanged += 1
        except cells.CellError as exc:
            label = str(exc.column.label) if exc.column is not None else ""
            row.problems.append(RowProblem(label, "", str(exc)))
    for row in chunk:
        for problem in row.problems:
            report.add(row.number, problem)
    report.to_create += len(creates)
    report.to_update += len(updates)
    if report.clean:
        writer.flush(creates, updates)
