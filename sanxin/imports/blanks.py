"""Downloadable templates: the header row of a target, with a sheet explaining each column."""
import tempfile

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from sanxin.core.exports import csv_response

from .specs.base import ImportSpec

REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
TEXT_COLUMNS = {"credit_code", "id_number", "phone", "contact_phone", "area", "username", "organizations"}


def header_labels(spec: ImportSpec) -> list[str]:
    return [f"{column.label}*" if column.required else str(column.label) for column in spec.columns]


def xlsx_template(spec: ImportSpec) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(spec.label)[:31]
    sheet.append([_("%(target)s: import template (columns marked * are required)") % {"target": spec.label}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header_labels(spec))
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = REQUIRED_FILL
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(12, len(str(column.label)) * 2)
        if column.name in TEXT_COLUMNS:
            # Text format: Excel keeps all 18 characters instead of turning the code into 9.15E+17.
            for row in range(3, 1003):
                sheet.cell(row=row, column=index).number_format = "@"
    notes = workbook.create_sheet(_("Instructions")[:31])
    notes.append([_("column"), _("required"), _("example"), _("note")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in spec.columns:
        notes.append([str(column.label), _("yes") if column.required else _("no"), column.example,
                      str(column.note)])
    notes.append([])
    notes.append([str(spec.description)])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"{spec.name}-template.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def csv_template(spec: ImportSpec) -> HttpResponse:
    return csv_response(f"{spec.name}-template", header_labels(spec), [])
