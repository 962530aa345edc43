"""Statistical report: one row per area, the columns every app contributes (AREA_COLUMNS), a total
row, merged title rows with the period and the scope printed, as .xlsx with Chinese headers."""
import tempfile
from datetime import date

from django import forms
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sanxin.registry.models import Area
from sanxin.registry.selectors import areas_visible_to

from .providers import AreaColumn, FigureScope, Period, area_column_providers, rate

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F8D7DA")
TOTAL_FILL = PatternFill("solid", fgColor="EEEEEE")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class ReportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.CharField(label=gettext_lazy("area code"), required=False, max_length=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period is before its start."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


def collect_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    columns = [c for provider in area_column_providers() for c in provider(scope, period)]
    return sorted(columns, key=lambda c: c.order)


def report_areas(scope: FigureScope) -> list[Area]:
    """The township-level areas the actor may look at, within the drill-down area if any."""
    visible = Area.objects.all() if scope.actor is None else areas_visible_to(scope.actor)
    visible = visible.exclude(kind="district")
    if scope.area_ids is not None:
        visible = visible.filter(id__in=scope.area_ids)
    return list(visible.order_by("code"))


def column_total(column: AreaColumn, by_key: dict[str, AreaColumn], areas: list[Area]) -> float | int | None:
    ids = [a.id for a in areas]
    if column.total == "ratio" and column.ratio_of:
        top, bottom = (by_key.get(k) for k in column.ratio_of)
        if top is None or bottom is None:
            return None
        return rate(sum(top.values.get(i, 0) or 0 for i in ids), sum(bottom.values.get(i, 0) or 0 for i in ids))
    return sum(column.values.get(i, 0) or 0 for i in ids)


def build_report(scope: FigureScope, period: Period) -> Workbook:
    columns = collect_columns(scope, period)
    areas = report_areas(scope)
    by_key = {c.key: c for c in columns}
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")[:31]
    width = len(columns) + 1
    where = scope.area.name if scope.area else _("whole scope")
    roles = "; ".join(str(r) for r in scope.actor.scope_roles) if scope.actor else _("system")
    lines = [
        (_("Three new domains party building: statistical report"), Font(bold=True, size=15)),
        (_("Period: %(period)s") % {"period": period}, Font(size=11)),
        (_("Scope: %(scope)s · %(where)s") % {"scope": roles, "where": where}, Font(size=11)),
        (_("Generated %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
         Font(size=9, color="666666")),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        sheet.cell(row=row, column=1, value=text).font = font
        sheet.cell(row=row, column=1).alignment = CENTER if row == 1 else Alignment(horizontal="left")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[1].height = 28
    group_row, header_row = len(lines) + 1, len(lines) + 2
    _header(sheet, group_row, header_row, columns)
    for offset, area in enumerate(areas, start=1):
        row = header_row + offset
        sheet.cell(row=row, column=1, value=area.name).border = BORDER
        for index, column in enumerate(columns, start=2):
            cell = sheet.cell(row=row, column=index, value=_area_value(column, by_key, area.id))
            cell.border = BORDER
    total_row = header_row + len(areas) + 1
    sheet.cell(row=total_row, column=1, value=_("Total"))
    for index, column in enumerate(columns, start=2):
        sheet.cell(row=total_row, column=index, value=column_total(column, by_key, areas))
    for cell in sheet[total_row]:
        cell.font, cell.fill, cell.border = Font(bold=True), TOTAL_FILL, BORDER
    sheet.column_dimensions["A"].width = 16
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    return workbook


def _area_value(column: AreaColumn, by_key: dict[str, AreaColumn], area_id: int):
    if column.total == "ratio" and column.ratio_of and area_id not in column.values:
        top, bottom = (by_key.get(k) for k in column.ratio_of)
        if top is not None and bottom is not None:
            return rate(top.values.get(area_id, 0), bottom.values.get(area_id, 0))
    return column.values.get(area_id, 0)


def _header(sheet, group_row: int, header_row: int, columns: list[AreaColumn]) -> None:
    sheet.cell(row=group_row, column=1, value=_("area"))
    sheet.merge_cells(start_row=group_row, start_column=1, end_row=header_row, end_column=1)
    start = 2
    while start < len(columns) + 2:
        group = columns[start - 2].group
        end = start
        while end + 1 < len(columns) + 2 and columns[end - 1].group == group:
            end += 1
        sheet.cell(row=group_row, column=start, value=str(group))
        if end > start:
            sheet.merge_cells(start_row=group_row, start_column=start, end_row=group_row, end_column=end)
        start = end + 1
    for index, column in enumerate(columns, start=2):
        label = f"{column.label} (%)" if column.unit == "%" else str(column.label)
        sheet.cell(row=header_row, column=index, value=label)
    for row in (group_row, header_row):
        for cell in sheet[row]:
            cell.font, cell.fill, cell.alignment, cell.border = Font(bold=True), HEADER_FILL, CENTER, BORDER
    sheet.row_dimensions[header_row].height = 32


def report_response(scope: FigureScope, period: Period) -> FileResponse:
    workbook = build_report(scope, period)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(spool)
    spool.seek(0)
    stem = f"sanxin-report-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return FileResponse(spool, as_attachment=True, filename=f"{stem}.xlsx",
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def default_period(today: date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(date(today.year, 1, 1), today)
