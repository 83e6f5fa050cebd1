"""The accounts sheet (README "Tài khoản"): one row per account to create, checked whole.

Columns: Tên đăng nhập, Họ và tên, Email, Vai trò (its Vietnamese label or its code), Mã đơn
vị. Every rule of ``core/account_rules.py`` is checked at its cell, with a username repeated in
the file or already in use; one problem anywhere and nothing is created.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from parindex.core.account_rules import (
    AccountData,
    email_problem,
    find_units,
    full_name_problem,
    role_problem,
    taken_usernames,
    unit_problem,
    username_problem,
    username_taken,
)
from parindex.core.excel.reading import Problems, Sheet, open_workbook
from parindex.core.excel.safe import append_rows
from parindex.core.excel.writing import to_bytes
from parindex.core.models import UNIT_ROLES, Role, Unit

SHEET = "Tài khoản"
USERNAME, FULL_NAME, EMAIL, ROLE, UNIT = (
    "Tên đăng nhập",
    "Họ và tên",
    "Email",
    "Vai trò",
    "Mã đơn vị",
)
COLUMNS = (USERNAME, FULL_NAME, EMAIL, ROLE, UNIT)
FIELDS = {"username": USERNAME, "full_name": FULL_NAME, "email": EMAIL, "role": ROLE}


def read_accounts(file) -> tuple[list[AccountData], dict[str, Unit]]:
    """Read and check the accounts of ``file``; return them with the units they name.

    Raise ``ImportProblems`` listing every problem with its sheet and cell. The sheet is
    "Tài khoản", or the workbook's only sheet under another name.
    """
    workbook = open_workbook(file)
    problems = Problems()
    name = SHEET if SHEET in workbook.sheetnames else workbook.sheetnames[0]
    sheet = Sheet(workbook, name, problems)
    if not sheet.require(*COLUMNS):
        problems.raise_if_any()
    accounts = [
        AccountData.typed(
            **{key: sheet.text(row, values, column) for key, column in FIELDS.items()},
            unit_code=sheet.text(row, values, UNIT),
            row=row,
        )
        for row, values in sheet.rows
    ]
    if not accounts:
        problems.add(name, "A2", _("Trang “%(s)s” chưa có tài khoản nào.") % {"s": name})
    _check_usernames(sheet, accounts)
    units = find_units(a.unit_code for a in accounts)
    for account in accounts:
        _check_row(sheet, account, units.get(account.unit_code))
    problems.raise_if_any()
    return accounts, units


def _check_usernames(sheet: Sheet, accounts: list[AccountData]) -> None:
    """Report a bad username, one repeated in the file (at its second row) and one in use."""
    taken = taken_usernames(a.username for a in accounts)
    first_row: dict[str, int] = {}
    for account in accounts:
        ref = sheet.ref(account.row, USERNAME)
        key = account.username.lower()
        problem = username_problem(account.username)
        if problem is None and key in first_row:
            problem = _("Tên đăng nhập “%(u)s” trùng với dòng %(r)s.") % {
                "u": account.username,
                "r": first_row[key],
            }
        elif problem is None and key in taken:
            problem = username_taken(account.username)
        first_row.setdefault(key, account.row)
        if problem:
            sheet.problems.add(sheet.name, ref, problem)


def _check_row(sheet: Sheet, account: AccountData, unit: Unit | None) -> None:
    row = account.row
    for column, problem in (
        (FULL_NAME, full_name_problem(account.full_name)),
        (EMAIL, email_problem(account.email)),
    ):
        if problem:
            sheet.problems.add(sheet.name, sheet.ref(row, column), problem)
    if account.role not in Role.values:
        sheet.problems.add(sheet.name, sheet.ref(row, ROLE), role_problem(account.role))
        return
    problem = unit_problem(account.role, account.unit_code, unit)
    if problem:
        sheet.problems.add(sheet.name, sheet.ref(row, UNIT), problem)


def accounts_template() -> bytes:
    """Write the empty accounts sheet, and a sheet of the roles it accepts with an example."""
    workbook = Workbook(write_only=True)
    append_rows(workbook.create_sheet(SHEET), [list(COLUMNS)])
    guide = [[_("Vai trò"), _("Mã"), _("Mã đơn vị")]] + [
        [str(label), value, _("Bắt buộc") if value in UNIT_ROLES else _("Để trống")]
        for value, label in Role.choices
    ]
    guide += [
        [],
        [_("Ví dụ một dòng của trang “%(s)s”:") % {"s": SHEET}],
        list(COLUMNS),
        ["nguyenvanan", "Nguyễn Văn An", "an.nv@example.gov.vn", "Cán bộ đầu mối", "STP"],
    ]
    append_rows(workbook.create_sheet(_("Hướng dẫn")), guide)
    return to_bytes(workbook)
