"""Reading uploaded workbooks safely: every problem becomes a Vietnamese message with its cell.

Nothing here writes to the database. A file that is not an xlsx, is empty, too large or
malformed is reported, never raised as a server error. openpyxl parses XML with defusedxml
(installed, so openpyxl picks it): a DOCTYPE declaring entities is refused, never expanded or
fetched; every parse error, at opening or while rows are read, is the one "tệp hỏng" message.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from parindex.core.numbers import NumberError, read_points

MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # a zip bomb stops here


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

    def __str__(self):
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.message}" if where else self.message


class ImportProblems(Exception):
    """The file cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Problems:
    """Collects problems while a whole file is checked, so all are reported at once."""

    items: list[Problem] = field(default_factory=list)
    seen: set[Problem] = field(default_factory=set)

    def add(self, sheet: str, cell: str, message: str) -> None:
        """Add a problem; the same one again (a cell read for every group) is listed once."""
        problem = Problem(sheet, cell, message)
        if problem not in self.seen:
            self.seen.add(problem)
            self.items.append(problem)

    def raise_if_any(self) -> None:
        if self.items:
            raise ImportProblems(self.items)


def cell_ref(column_index: int, row: int) -> str:
    """Return "C7" for the 1-based column 3 and row 7."""
    return f"{get_column_letter(column_index)}{row}"


def broken_file() -> ImportProblems:
    return ImportProblems([Problem("", "", _("Tệp .xlsx bị hỏng, không đọc được."))])


@contextmanager
def parsing():
    """Turn any error openpyxl raises on a malformed part into the one "tệp hỏng" message.

    openpyxl raises many kinds (ParseError, defusedxml's EntitiesForbidden, KeyError, ValueError
    …) while it parses; only its own calls run inside this block.
    """
    try:
        yield
    except Exception:
        raise broken_file() from None


def sheet_rows(workbook, name: str) -> Iterator[tuple]:
    """Yield the values of every row of sheet ``name``; a formula cell's value is a ``Formula``.

    A read-only sheet parses as it goes: every openpyxl call runs inside ``parsing()``.
    """
    with parsing():
        rows = workbook[name].iter_rows()
    while True:
        with parsing():
            cells = next(rows, None)
        if cells is None:
            return
        yield tuple(
            Formula(getattr(cell.value, "text", cell.value))
            if cell.data_type == "f"
            else cell.value
            for cell in cells
        )


def open_workbook(file, *, max_bytes: int | None = None):
    """Open an uploaded .xlsx read-only, or raise ImportProblems saying why it cannot be read.

    ``max_bytes`` defaults to settings.IMPORT_MAX_BYTES.
    """
    if max_bytes is None:
        max_bytes = settings.IMPORT_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    if size == 0:
        raise ImportProblems([Problem("", "", _("Tệp rỗng."))])
    if size > max_bytes:
        raise ImportProblems(
            [Problem("", "", _("Tệp quá lớn (giới hạn %(mb)s MB).") % {"mb": max_bytes // 2**20})]
        )
    if file.read(4) != b"PK\x03\x04":
        raise ImportProblems(
            [Problem("", "", _("Tệp không phải là tệp Excel .xlsx (hãy lưu lại dạng .xlsx)."))]
        )
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise broken_file() from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportProblems([Problem("", "", _("Tệp nén không phải là bảng tính Excel .xlsx."))])
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ImportProblems([Problem("", "", _("Tệp giải nén quá lớn, không đọc được."))])
    file.seek(0)
    with parsing():
        return load_workbook(file, read_only=True, data_only=False)


class Sheet:
    """One worksheet read as a header row and data rows, with cell references for messages."""

    def __init__(self, workbook, name: str, problems: Problems):
        self.name = name
        self.problems = problems
        self.rows: list[tuple[int, tuple]] = []
        self.header: dict[str, int] = {}
        for number, values in enumerate(sheet_rows(workbook, name), start=1):
            if number == 1:
                self.header = {
                    str(v).strip(): index for index, v in enumerate(values) if v is not None
                }
                continue
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            self.rows.append((number, values))

    def require(self, *columns: str) -> bool:
        """Report each required column missing from the header; return True if all exist."""
        missing = [c for c in columns if c not in self.header]
        for column in missing:
            self.problems.add(self.name, "A1", _("Thiếu cột “%(column)s”.") % {"column": column})
        return not missing

    def value(self, values: tuple, column: str):
        index = self.header.get(column)
        if index is None or index >= len(values):
            return None
        return values[index]

    def ref(self, row: int, column: str) -> str:
        return cell_ref(self.header.get(column, 0) + 1, row)

    def text(self, row: int, values: tuple, column: str, *, required=False, field=None) -> str:
        """Return a cell's text; ``field``, the model field it is written to, bounds its length."""
        value = self.value(values, column)
        if is_formula(value):
            self.problems.add(self.name, self.ref(row, column), _("Ô chứa công thức, cần giá trị."))
            return ""
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.problems.add(
                self.name, self.ref(row, column), _("Thiếu “%(column)s”.") % {"column": column}
            )
        if field is not None:
            check_length(self.problems, self.name, self.ref(row, column), column, text, field)
        return text

    def number(self, row: int, values: tuple, column: str, *, required=False) -> Decimal | None:
        return read_number(
            self, row, self.value(values, column), self.ref(row, column), required=required
        )


def check_length(problems: Problems, sheet: str, ref: str, label: str, text: str, field) -> bool:
    """Report ``text`` at ``ref`` when it is longer than the model field ``field`` (as given by
    ``Model._meta.get_field(name)``) holds; return whether it fits.

    The one length check of every text an import writes to a CharField: the database would
    refuse it at the confirmation (PostgreSQL) or store it over length (SQLite).
    """
    limit = field.max_length
    if limit is None or len(text) <= limit:
        return True
    problems.add(
        sheet,
        ref,
        _("“%(column)s” dài %(n)s ký tự, vượt giới hạn %(max)s ký tự.")
        % {"column": label, "n": len(text), "max": limit},
    )
    return False


class Formula(str):
    """The text of a formula cell ("=SUM(B2:B9)"), where an import needs a value.

    Told apart from a text cell that merely starts with "=" (a name the exports wrote as text,
    see ``safe.py``) by the cell's type, never by its first character.
    """


def is_formula(value) -> bool:
    return isinstance(value, Formula)


def read_number(sheet: Sheet, row: int, value, ref: str, *, required=False) -> Decimal | None:
    """Read a number of ``sheet`` (see ``cell_number``)."""
    return cell_number(sheet.problems, sheet.name, value, ref, required=required)


def cell_number(problems: Problems, sheet: str, value, ref: str, *, required=False):
    """Read a real number or text with a decimal comma, rounded half-up to the four decimals
    stored (``numbers.read_points``); report anything else at ``ref`` and return None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(sheet, ref, _("Thiếu số."))
        return None
    if is_formula(value):
        problems.add(sheet, ref, _("Ô chứa công thức, cần giá trị."))
        return None
    try:
        return read_points(value if isinstance(value, str | bool) else repr_number(value))
    except NumberError as error:
        problems.add(sheet, ref, error.message)
        return None


def repr_number(value) -> str:
    """Return the shortest text of a spreadsheet number (0.1 stays "0.1", not 0.1000000001)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)
