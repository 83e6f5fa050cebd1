"""Excel pages: upload → problems or preview → confirm; downloads."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from parindex.core.models import Period, UnitResult
from tests.builders import job_page, make_user, upload
from tests.core.test_excel import SCORES, header_row, period_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("quantri", "admin"))
    return client


def test_a_broken_file_lists_its_problems_and_imports_nothing(admin_client):
    broken = period_book(**{"Điểm": [SCORES[0], ["A", 25, 35, 30, 1, None]]})
    response = job_page(
        admin_client,
        admin_client.post("/imports/period/", {"file": upload("so-diem.xlsx", broken.getvalue())}),
    )
    html = response.content.decode()
    assert response.context["job"].status == "failed"
    assert "Tệp có 1 lỗi; chưa nhập gì." in html
    assert "<td>B2</td>" in html and "Điểm 25 ngoài khoảng 0–20 của tiêu chí 1.1." in html
    assert not Period.objects.exists()


def test_a_pdf_renamed_xlsx_gets_a_message_not_an_error(admin_client):
    response = job_page(
        admin_client,
        admin_client.post("/imports/period/", {"file": upload("so-diem.xlsx", b"%PDF-1.4 ...")}),
    )
    assert response.status_code == 200 and response.context["job"].status == "failed"
    assert "không phải là tệp Excel .xlsx" in response.content.decode()


def test_preview_then_confirm_imports_the_period(admin_client):
    response = job_page(
        admin_client,
        admin_client.post(
            "/imports/period/", {"file": upload("so-diem.xlsx", period_book().getvalue())}
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Xác nhận nhập" in html
    assert "<dt>Số đơn vị</dt><dd>4</dd>" in html
    assert not Period.objects.exists()  # nothing before confirming
    token = response.context["job"].params["token"]
    confirm = {"token": token, "publish": "1"}
    done = job_page(admin_client, admin_client.post("/imports/period/confirm/", confirm))
    assert done.context["job"].status == "done"
    period = Period.objects.get(year=2019)
    assert period.is_published
    assert UnitResult.objects.current_for(period).count() == 4
    again = job_page(admin_client, admin_client.post("/imports/period/confirm/", {"token": token}))
    assert "Phiên nhập đã hết hạn" in again.content.decode()  # nothing is imported twice


def test_templates_download_as_workbooks(admin_client):
    response = admin_client.get("/imports/units/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Đơn vị" and sheet["A1"].value == "Mã đơn vị"


def test_league_table_exports_the_official_annex(demo, client):
    response = client.get("/rankings/2022/QH/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    first = header_row(sheet) + 2
    assert sheet.cell(row=first, column=2).value == "UBND quận Bình Tân"
    assert sheet.cell(row=first, column=12).value == 96.53


def test_commands_export_and_import_a_period_and_the_annex(demo, tmp_path, capsys):
    workbook = tmp_path / "2022.xlsx"
    call_command("exportperiod", "2022", "-o", str(workbook))
    edited = load_workbook(workbook)
    edited["Thông tin"]["B2"] = 2023
    edited.save(workbook)
    call_command("importperiod", str(workbook), "--publish")
    assert "Đã nhập năm 2023: 58 đơn vị, 55 bản đánh giá" in capsys.readouterr().out
    annex = tmp_path / "annex.xlsx"
    call_command("exportrankings", "2023", "SO", "-o", str(annex))
    sheet = load_workbook(annex).active
    assert sheet.cell(row=header_row(sheet) + 2, column=2).value == "Sở Tư pháp"


def test_importperiod_of_a_broken_file_lists_every_problem(tmp_path):
    from django.core.management.base import CommandError

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(period_book(**{"Xếp loại": None}).getvalue())
    with pytest.raises(CommandError, match="Thiếu trang “Xếp loại”"):
        call_command("importperiod", str(broken))
