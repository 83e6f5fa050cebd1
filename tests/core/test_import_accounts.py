"""Creating accounts from an Excel sheet: every rule at its cell, all or nothing, and the
``importusers`` command."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import ManagementUtility
from openpyxl import Workbook, load_workbook

from parindex.core import clock
from parindex.core.excel.accounts import COLUMNS, accounts_template, read_accounts
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import AuditEntry, Unit, UnitGroup, User
from parindex.core.services.accounts import import_accounts
from tests.builders import make_user

pytestmark = pytest.mark.django_db

GOOD = [
    ["canbo.stp", "Nguyễn Thị Lan", "lan@example.gov.vn", "Cán bộ đầu mối", "STP"],
    ["lanhdao.stp", "Trần Văn Minh", "minh@example.gov.vn", "unit_head", "STP"],
    ["thamdinh2", "Phạm Thu Hà", "ha@example.gov.vn", "Thẩm định viên", None],
]


@pytest.fixture
def units():
    group = UnitGroup.objects.create(code="SO", name="Khối sở")
    Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    Unit.objects.create(
        code="Q1",
        name="UBND Quận 1",
        group=group,
        valid_to=clock.today() - datetime.timedelta(days=1),
    )


def sheet(rows, *, title="Tài khoản", header=COLUMNS) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = title
    worksheet.append(list(header))
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(ImportProblems) as refused:
        read_accounts(io.BytesIO(content))
    return [str(p) for p in refused.value.problems]


def test_a_clean_sheet_creates_every_account_with_its_role_and_unit(units):
    accounts, found = read_accounts(io.BytesIO(sheet(GOOD)))
    import_accounts(accounts, found, by=None)
    users = {u.username: u for u in User.objects.select_related("unit")}
    assert users["canbo.stp"].role == "officer" and users["canbo.stp"].unit.code == "STP"
    assert users["lanhdao.stp"].role == "unit_head"
    assert users["thamdinh2"].role == "reviewer" and users["thamdinh2"].unit is None
    assert users["canbo.stp"].get_full_name() == "Nguyễn Thị Lan"
    assert not any(u.has_usable_password() for u in users.values())
    assert AuditEntry.objects.filter(action="user.created").count() == 3


@pytest.mark.parametrize(
    "row, cell, message",
    [
        (
            ["canbo.stp", "Lê Văn Tám", "tam@example.gov.vn", "officer", "STP"],
            "A5",
            "trùng với dòng 2",
        ),
        (
            ["CANBO.STP", "Lê Văn Tám", "tam@example.gov.vn", "officer", "STP"],
            "A5",
            "trùng với dòng 2",
        ),
        (["daco", "Lê Văn Tám", "tam@example.gov.vn", "officer", "STP"], "A5", "đã có người dùng"),
        (["moi", "Lê Văn Tám", "tam@example", "officer", "STP"], "C5", "không hợp lệ"),
        (["moi", "Lê Văn Tám", None, "officer", "STP"], "C5", "Nhập địa chỉ email"),
        (["moi", None, "tam@example.gov.vn", "officer", "STP"], "B5", "Nhập họ và tên"),
        (
            ["moi", "Lê Văn Tám", "tam@example.gov.vn", "Giám đốc", "STP"],
            "D5",
            "Vai trò “Giám đốc” không có",
        ),
        (
            ["moi", "Lê Văn Tám", "tam@example.gov.vn", "officer", "XYZ"],
            "E5",
            "Không có đơn vị mã “XYZ”",
        ),
        (["moi", "Lê Văn Tám", "tam@example.gov.vn", "officer", "Q1"], "E5", "đã thôi hoạt động"),
        (
            ["moi", "Lê Văn Tám", "tam@example.gov.vn", "leader", "STP"],
            "E5",
            "không thuộc đơn vị nào",
        ),
        (
            ["moi", "Lê Văn Tám", "tam@example.gov.vn", "officer", None],
            "E5",
            "phải thuộc một đơn vị",
        ),
        (["lê tám", "Lê Văn Tám", "tam@example.gov.vn", "officer", "STP"], "A5", "không hợp lệ"),
    ],
)
def test_a_bad_row_is_named_at_its_cell_and_nothing_is_created(units, row, cell, message):
    make_user("daco", "leader")
    content = sheet([*GOOD, row])
    [problem] = problems_of(content)
    assert problem.startswith(f"Tài khoản!{cell}: ") and message in problem
    assert User.objects.count() == 1


def test_a_missing_column_is_named(units):
    [problem] = problems_of(sheet(GOOD, header=COLUMNS[:4]))
    assert problem == "Tài khoản!A1: Thiếu cột “Mã đơn vị”."


def test_a_workbook_with_one_sheet_of_another_name_is_read(units):
    accounts, _units = read_accounts(io.BytesIO(sheet(GOOD, title="Sheet1")))
    assert [a.username for a in accounts] == ["canbo.stp", "lanhdao.stp", "thamdinh2"]
    assert "Sheet1!A5" in problems_of(sheet([*GOOD, GOOD[0]], title="Sheet1"))[0]


def test_the_template_reads_back_as_an_empty_sheet_with_the_columns(units):
    workbook = load_workbook(io.BytesIO(accounts_template()))
    assert [c.value for c in workbook["Tài khoản"][1]] == list(COLUMNS)
    assert problems_of(accounts_template()) == [
        "Tài khoản!A2: Trang “Tài khoản” chưa có tài khoản nào."
    ]


def run_command(*args, capsys) -> tuple[int, str, str]:
    """Run manage.py as from a shell; return the exit code, stdout and stderr."""
    code = 0
    # run_from_argv closes every connection when it ends: the test's own transaction among them.
    with mock.patch("django.core.management.base.connections.close_all"):
        try:
            ManagementUtility(["manage.py", *args]).execute()
        except SystemExit as exit:
            code = exit.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_importusers_of_a_sheet_with_a_bad_row_exits_non_zero_naming_the_cell_and_writes_nothing(
    units, tmp_path, capsys
):
    path = tmp_path / "tai-khoan.xlsx"
    bad = ["moi", "Lê Văn Tám", "tam@example", "officer", "STP"]
    path.write_bytes(sheet([*GOOD, bad]))
    code, out, err = run_command("importusers", str(path), "--send-links", capsys=capsys)
    assert code == 1
    assert "Tài khoản!C5: Địa chỉ email “tam@example” không hợp lệ." in err
    assert User.objects.count() == 0 and AuditEntry.objects.count() == 0
    assert mail.outbox == []


def test_importusers_creates_the_accounts_and_sends_each_their_link(units, tmp_path, capsys):
    path = tmp_path / "tai-khoan.xlsx"
    path.write_bytes(sheet(GOOD))
    make_user("quantri", "admin")
    code, out, err = run_command(
        "importusers", str(path), "--send-links", "--by", "quantri", capsys=capsys
    )
    assert code == 0, err
    assert "Đã tạo 3 tài khoản." in out and "Đã gửi 3/3 liên kết" in out
    assert sorted(m.to[0] for m in mail.outbox) == sorted(row[2] for row in GOOD)
    assert set(AuditEntry.objects.values_list("actor__username", flat=True)) == {"quantri"}


def test_importusers_without_send_links_sends_nothing(units, tmp_path, capsys):
    path = tmp_path / "tai-khoan.xlsx"
    path.write_bytes(sheet(GOOD))
    code, _out, _err = run_command("importusers", str(path), capsys=capsys)
    assert code == 0 and User.objects.count() == 3 and mail.outbox == []


def test_a_username_taken_after_the_check_refuses_the_whole_sheet(units):
    accounts, found = read_accounts(io.BytesIO(sheet(GOOD)))
    make_user("thamdinh2", "reviewer")  # someone else was quicker
    with pytest.raises(Exception, match="chưa tạo tài khoản nào"):
        import_accounts(accounts, found, by=None)
    assert User.objects.count() == 1
    assert not AuditEntry.objects.exists()
