"""The official annex of a league table (xlsx): title rows that say what the table is, the
province's layout, numbers as numbers, A4 landscape."""

from __future__ import annotations

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from parindex.core.excel import titles
from parindex.core.excel.safe import put
from parindex.core.excel.writing import (
    BOX,
    HEADER_FILL,
    HEADER_FONT,
    TWO_DECIMALS,
    as_number,
    to_bytes,
)
from parindex.core.models.results import group_name_for


def write_annex(period, period_group, results, areas, *, result_set, selection=None) -> bytes:
    """Write a group's league table as the official annex of the publication decision.

    ``results`` are ``league_rows`` rows (with the names shown, as published); ``result_set``
    is the version they come from (None when the group has no results yet):
    the title rows say whether it is official (decision number and date, version when
    corrected) or provisional, the tie rule or why the group is not ranked, and ``selection``
    (``titles.Selection``) when the rows were filtered or sorted. Ranks are the stored ones.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    results = list(results)
    notes = any(titles.note_cell(result) for result in results)
    width = 2 + len(areas) + 4 + (1 if notes else 0)
    head = _annex_titles(sheet, period, period_group, result_set, selection, width)
    _annex_header(sheet, head, areas, notes, width)
    ranked = titles.is_ranked(period_group)
    for number, result in enumerate(results, start=1):
        values = [
            number,
            result.shown_unit_name,
            *[as_number(getattr(result, f"area_{area.pk}")) for area in areas],
            as_number(result.total),
            _float_or_text(titles.index_cell(result)),
            _rank_or_dash(titles.rank_cell(result, ranked=ranked)),
            result.grade_label or None,
        ]
        if notes:
            values.append(titles.note_cell(result) or None)
        for column, value in enumerate(values, start=1):
            cell = put(sheet, head + 1 + number, column, value)
            cell.border = BOX
            if isinstance(value, float):
                cell.number_format = TWO_DECIMALS
    _annex_layout(sheet, head, width, notes)
    return to_bytes(workbook)


def _annex_titles(sheet, period, period_group, result_set, selection, width) -> int:
    """Write the title rows, merged across the table; return the header's row."""
    group_name = group_name_for(period_group.group, result_set)
    heading = titles.heading_lines(period, group_name, settings.PROVINCE_NAME)
    fonts = [Font(bold=True, size=12), Font(bold=True, size=14), Font(bold=True, size=12)]
    status = titles.status_lines(period, period_group, result_set, selection)
    lines = [*zip(heading, fonts, strict=True), *[(line, Font(italic=True)) for line in status]]
    for row, (text, font) in enumerate(lines, start=1):
        cell = put(sheet, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return len(lines) + 2


def _annex_header(sheet, head, areas, notes, width) -> None:
    """Write the two merged header rows: STT, Đơn vị, one column per area, totals, notes."""
    tail = ["Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"] + (["Ghi chú"] if notes else [])
    for index, label in enumerate(["STT", "Đơn vị"], start=1):
        put(sheet, head, index, label)
        sheet.merge_cells(start_row=head, start_column=index, end_row=head + 1, end_column=index)
    if areas:
        put(sheet, head, 3, "Điểm theo nội dung")
        sheet.merge_cells(start_row=head, start_column=3, end_row=head, end_column=2 + len(areas))
    for offset, area in enumerate(areas):
        put(sheet, head + 1, 3 + offset, f"{area.code}")
    for offset, label in enumerate(tail):
        column = 3 + len(areas) + offset
        put(sheet, head, column, label)
        sheet.merge_cells(start_row=head, start_column=column, end_row=head + 1, end_column=column)
    for row in sheet.iter_rows(min_row=head, max_row=head + 1, max_col=width):
        for cell in row:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _annex_layout(sheet, head, width, notes) -> None:
    """Column widths, frozen header and A4 landscape printing on one page wide."""
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 42
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    if notes:
        sheet.column_dimensions[get_column_letter(width)].width = 40
    sheet.freeze_panes = sheet.cell(row=head + 2, column=3)
    sheet.print_title_rows = f"{head}:{head + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _float_or_text(value):
    # A standing ("Chưa nộp") where a non-submitter has no index.
    return value if isinstance(value, str) else as_number(value)


def _rank_or_dash(rank):
    return "—" if rank is None else rank
