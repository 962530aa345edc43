"""Streaming tabular exports (.xlsx and .csv): rows are written as they are read, never all held."""
import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font


def _filename(stem: str, ext: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{stem}-{stamp}.{ext}"


def xlsx_response(stem: str, title: str, headers: Sequence[str], rows: Iterable[Sequence],
                  subtitle: str = "") -> HttpResponse:
    """A write-only workbook spooled to a temporary file, so memory stays flat on large lists."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    if subtitle:
        sheet.append([subtitle])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell_value(v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=_filename(stem, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _cell_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    # Long digit strings (credit codes, ID numbers) stay text so Excel keeps every digit.
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(stem: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark so that Excel on Chinese Windows opens it correctly."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff" + writer.writerow([str(h) for h in headers])
        for row in rows:
            yield writer.writerow(["" if v is None else str(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(stem, "csv")}"'
    return response


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()
