"""The administrator creates an account in the browser; its owner sets a password through the
e-mailed link and logs in under a name in Vietnamese order."""

import re

import pytest
from django.core import mail

from parindex.core.models import Unit, UnitGroup
from tests.builders import PASSWORD, make_user
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def login(page, base, username, password=PASSWORD):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_new_officer_sets_a_password_through_the_link_and_logs_in(
    transactional_db, live_server, page
):
    group = UnitGroup.objects.create(code="SO", name="Khối sở")
    Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    make_user("quantri", "admin")
    base = live_server.url
    login(page, base, "quantri")
    page.get_by_role("link", name="Tài khoản", exact=True).click()
    page.get_by_role("link", name="Tạo tài khoản").click()
    page.get_by_label("Tên đăng nhập").fill("nguyenvanan")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Email").fill("an@example.gov.vn")
    page.get_by_label("Vai trò").select_option("officer")
    page.get_by_label("Mã đơn vị").fill("STP")
    page.get_by_role("button", name="Tạo tài khoản và gửi liên kết").click()
    page.get_by_text("Đã gửi liên kết đặt mật khẩu tới an@example.gov.vn.").wait_for()
    screenshot(page, "accounts-created")
    page.get_by_role("button", name="Đăng xuất").click()

    [message] = mail.outbox
    link = re.search(r"http://\S+/accounts/password/set/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_label("Mật khẩu mới", exact=True).fill("mat-khau-cua-an-2026")
    page.get_by_label("Xác nhận mật khẩu mới").fill("mat-khau-cua-an-2026")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    page.get_by_role("heading", name="Đã đặt mật khẩu").wait_for()
    login(page, base, "nguyenvanan", "mat-khau-cua-an-2026")
    assert page.locator("header").get_by_text("Nguyễn Văn An").is_visible()
    page.goto(link)
    page.get_by_role("heading", name="Liên kết không còn dùng được").wait_for()
    assert page.console_errors == []
