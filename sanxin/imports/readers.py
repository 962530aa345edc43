"""Streaming readers for uploaded tables: .xlsx through openpyxl's read-only mode, .csv through the
csv module. Rows are yielded one at a time so a million-row file never sits in memory."""
import codecs
import csv
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

SAMPLE_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls / .doc container


class UnreadableFile(Exception):
    """The file as a whole cannot be read as a table; the message is for the user."""


@dataclass
class Table:
    """An opened table: `rows` yields (row number as the spreadsheet shows it, cell values)."""

    kind: str                 # "xlsx" or "csv"
    encoding: str             # "" for xlsx
    estimated_rows: int | None
    rows: Iterator[tuple[int, list[Any]]]


def open_table(path: str) -> Table:
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if not sample.strip():
        raise UnreadableFile(_("The file is empty."))
    if sample.startswith(XLSX_MAGIC):
        return _open_xlsx(path)
    if sample.startswith(OLE_MAGIC):
        raise UnreadableFile(_("This is an old Excel 97–2003 (.xls) file: open it in Excel or WPS and "
                               "save it as .xlsx, then upload it again."))
    return _open_csv(path, sample)


def _open_xlsx(path: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(_("The file looks like a compressed archive but is not an .xlsx "
                               "workbook.")) from exc
    if not workbook.worksheets:
        raise UnreadableFile(_("The workbook has no sheet."))
    sheet = workbook.worksheets[0]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            # read_only mode yields an empty tuple for rows missing from the XML, so numbers hold.
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()

    return Table(kind="xlsx", encoding="", estimated_rows=sheet.max_row, rows=rows())


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without the byte-order mark Excel writes), UTF-16 (Excel's "Unicode text"),
    else GB18030, the superset of GBK/GB2312 that Chinese Windows saves by default."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise UnreadableFile(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(_("This is not a spreadsheet: upload an .xlsx or .csv file.")) from exc


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return controls <= len(text) // 100


def _delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:20])
    counts = {d: head.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _open_csv(path: str, sample: bytes) -> Table:
    encoding = detect_encoding(sample)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    if not _looks_like_text(text):
        raise UnreadableFile(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    delimiter = _delimiter(text)
    lines_in_sample = max(1, text.count("\n"))
    size = os.path.getsize(path)
    estimated = round(lines_in_sample * size / len(sample)) if len(sample) < size else lines_in_sample

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 0
        with open(path, encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            try:
                # Excel numbers records, not physical lines (a cell may hold a line break).
                for number, values in enumerate(reader, start=1):  # noqa: B007
                    yield number, values
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    _("The file is not valid %(encoding)s text after line %(line)d: save it again "
                      "as UTF-8 CSV.") % {"encoding": encoding.upper(), "line": number}) from exc
            except csv.Error as exc:
                raise UnreadableFile(
                    _("The CSV file is malformed after line %(line)d (%(error)s).")
                    % {"line": number, "error": exc}) from exc

    return Table(kind="csv", encoding=encoding, estimated_rows=estimated, rows=rows())
