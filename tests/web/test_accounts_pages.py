"""The accounts page: search and filters, query counts, field errors, lock with a question,
the Excel upload's preview and confirmation, and the one-time password link end to end."""

import io
import re
from html import unescape

import pytest
from django.core import mail

from parindex.core.models import AuditEntry, Unit, UnitGroup, User
from tests.builders import PASSWORD, make_user
from tests.core.test_import_accounts import GOOD, sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return UnitGroup.objects.create(code="SO", name="Khối sở")


@pytest.fixture
def admin(client, group):
    user = make_user("quantri", "admin")
    client.force_login(user)
    return user


def person(username, full_name, role="officer", unit=None, **extra):
    user = make_user(username, role, unit)
    user.full_name = full_name
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    return user


def shown_usernames(response) -> list[str]:
    return re.findall(r'<a href="/accounts/\d+/">([^<]+)</a>', response.content.decode())


def test_a_search_without_diacritics_or_case_finds_the_vietnamese_name(client, admin, group):
    stp = Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    person("an", "Nguyễn Văn An", unit=stp)
    person("binh", "Trần Văn Bình", unit=stp)
    person("cuong", "Nguyễn Thị Cường", role="reviewer")
    assert shown_usernames(client.get("/accounts/?q=nguyen van")) == ["an"]
    assert sorted(shown_usernames(client.get("/accounts/?q=NGUYEN"))) == ["an", "cuong"]
    assert shown_usernames(client.get("/accounts/?q=binh")) == ["binh"]
    html = client.get("/accounts/?q=nguyen van").content.decode()
    assert "Nguyễn Văn An" in html


def test_the_list_filters_by_role_unit_and_status(client, admin, group):
    stp = Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    snv = Unit.objects.create(code="SNV", name="Sở Nội vụ", group=group)
    person("an", "Nguyễn Văn An", unit=stp)
    person("binh", "Trần Văn Bình", unit=snv)
    person("cuong", "Lê Cường", role="reviewer", is_active=False)
    assert shown_usernames(client.get(f"/accounts/?unit={snv.pk}")) == ["binh"]
    assert shown_usernames(client.get("/accounts/?role=reviewer")) == ["cuong"]
    assert shown_usernames(client.get("/accounts/?status=locked")) == ["cuong"]
    assert "quantri" not in shown_usernames(client.get("/accounts/?role=officer"))


def test_names_are_listed_in_vietnamese_order_sorted_by_ten(client, admin):
    person("b", "Nguyễn Văn Bình", role="leader")
    person("a", "Trần Thị An", role="leader")
    html = client.get("/accounts/?role=leader").content.decode()
    assert html.index("Trần Thị An") < html.index("Nguyễn Văn Bình")


@pytest.mark.parametrize("units", [3, 30])
def test_the_list_reads_a_constant_number_of_queries(
    client, admin, group, units, django_assert_max_num_queries
):
    for n in range(units):
        unit = Unit.objects.create(code=f"U{n}", name=f"Đơn vị {n}", group=group)
        person(f"canbo{n}", f"Nguyễn Văn {n}", unit=unit)
    with django_assert_max_num_queries(
        7
    ):  # session, user, search, count, units, page, unread count
        response = client.get("/accounts/?q=nguyen&role=officer")
    assert len(shown_usernames(response)) == min(units, 50)


def test_the_list_is_paginated(client, admin):
    for n in range(55):
        person(f"u{n:02}", f"Lê Văn {n:02}", role="leader")
    response = client.get("/accounts/?role=leader")
    assert len(shown_usernames(response)) == 50
    assert "Trang 1/2" in response.content.decode()
    assert len(shown_usernames(client.get("/accounts/?role=leader&page=2"))) == 5


def test_a_refused_account_shows_the_message_at_its_field_and_writes_nothing(client, admin):
    before = User.objects.count()
    response = client.post(
        "/accounts/new/",
        {"username": "moi", "full_name": "Lê Tám", "email": "x@y.vn", "role": "officer"},
    )
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert re.search(r'id="id_unit_code-error"[^>]*>[^<]*phải thuộc một đơn vị', html)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_unit_code"', html) or re.search(
        r'<input[^>]*id="id_unit_code"[^>]*aria-invalid="true"', html
    )
    assert User.objects.count() == before and mail.outbox == []


def set_password_through(client, link: str, password: str):
    """Open the e-mailed link and set ``password``; return the final response."""
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "Đặt mật khẩu" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/password/set/\S+/", message.body).group(0)


def test_a_new_account_sets_its_password_through_a_link_that_works_once(client, admin, group):
    Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    response = client.post(
        "/accounts/new/",
        {
            "username": "nguyenvanan",
            "full_name": "Nguyễn Văn An",
            "email": "an@example.gov.vn",
            "role": "officer",
            "unit_code": "STP",
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    link = link_in(message).replace("http://testserver", "")
    client.logout()
    done = set_password_through(client, link, "mot-mat-khau-rieng")
    assert "Đã đặt mật khẩu" in done.content.decode()
    assert client.login(username="nguyenvanan", password="mot-mat-khau-rieng")
    client.logout()
    again = client.get(link, follow=True)
    assert "Liên kết không còn dùng được" in again.content.decode()


def test_a_too_short_password_is_refused_in_vietnamese(client, group):
    user = person("an", "Nguyễn Văn An", role="leader", email="an@example.gov.vn")
    client.post("/accounts/password/reset/", {"email": "an@example.gov.vn"})
    [message] = mail.outbox
    refused = set_password_through(client, link_in(message).replace("http://testserver", ""), "x1")
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in unescape(refused.content.decode())
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_forgotten_password_sends_a_link_also_to_an_account_that_never_set_one(client, group):
    person("an", "Nguyễn Văn An", role="leader", email="an@example.gov.vn")
    fresh = person("moi", "Lê Tám", role="leader", email="tam@example.gov.vn")
    fresh.set_unusable_password()
    fresh.save()
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in login and "Quên mật khẩu?" in login
    response = client.post("/accounts/password/reset/", {"email": "TAM@example.gov.vn"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["tam@example.gov.vn"] and "Tên đăng nhập: moi" in message.body
    set_password_through(
        client, link_in(message).replace("http://testserver", ""), "matkhau-moi-2026"
    )
    assert client.login(username="moi", password="matkhau-moi-2026")


def test_a_locked_account_gets_no_link_and_its_old_link_stops_working(client, admin):
    user = person("an", "Nguyễn Văn An", role="leader", email="an@example.gov.vn")
    client.post(f"/accounts/{user.pk}/send-link/")
    [message] = mail.outbox
    page = client.post(f"/accounts/{user.pk}/deactivate/")
    assert "Khóa tài khoản này?" in unescape(page.content.decode())
    assert User.objects.get(pk=user.pk).is_active  # asked first, nothing done
    client.post(f"/accounts/{user.pk}/deactivate/", {"confirmed": "1"})
    assert not User.objects.get(pk=user.pk).is_active
    client.post("/accounts/password/reset/", {"email": "an@example.gov.vn"})
    assert len(mail.outbox) == 1
    client.logout()
    stale = client.get(link_in(message).replace("http://testserver", ""), follow=True)
    assert "Liên kết không còn dùng được" in stale.content.decode()
    assert not client.login(username="an", password=PASSWORD)


def upload_sheet(client, rows):
    content = io.BytesIO(sheet(rows))
    content.name = "tai-khoan.xlsx"
    return client.post("/accounts/import/", {"file": content})


def test_an_uploaded_sheet_is_previewed_then_created_on_confirmation(client, admin, group):
    Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    preview = upload_sheet(client, GOOD)
    html = unescape(preview.content.decode())
    assert preview.status_code == 200 and "Sẽ tạo 3 tài khoản" in html
    assert User.objects.count() == 1
    token = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    done = client.post("/accounts/import/confirm/", {"token": token, "send_links": "1"})
    assert done.status_code == 302
    assert User.objects.count() == 4 and len(mail.outbox) == 3
    again = client.post("/accounts/import/confirm/", {"token": token})
    assert again.status_code == 400 and User.objects.count() == 4


def test_an_uploaded_sheet_with_a_bad_row_names_the_cell_and_creates_nothing(client, admin, group):
    Unit.objects.create(code="STP", name="Sở Tư pháp", group=group)
    response = upload_sheet(client, [*GOOD, ["x", "Lê Tám", "tam@example.gov.vn", "officer", "Q9"]])
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "<td>Tài khoản</td><td>E5</td><td>Không có đơn vị mã “Q9”.</td>" in html
    assert 'href="/accounts/"' in html and "Chọn tệp khác" in html
    assert User.objects.count() == 1 and not AuditEntry.objects.exists()


def test_the_header_links_the_accounts_page_for_administrators_only(client, admin):
    assert 'href="/accounts/">Tài khoản</a>' in client.get("/accounts/").content.decode()
    client.force_login(make_user("lanhdao", "leader"))
    assert 'href="/accounts/">Tài khoản</a>' not in client.get("/trends/").content.decode()


# Django's own English labels never show: our one full name in Vietnamese order, in Vietnamese
# or, for an English browser, in our English catalogue's words.
OUR_LABELS = {"vi": ("Họ và tên", "Tên đăng nhập"), "en": ("Full name", "Username")}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_django_admin_lists_names_in_vietnamese_order_without_english(client, group, language):
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    person("an", "Nguyễn Văn An", role="leader")
    client.force_login(root)
    page = client.get("/admin/core/user/", headers={"accept-language": language})
    html = unescape(page.content.decode())
    assert "get full name" not in html.lower() and "get_full_name" not in html
    django_own = ("Email address", "First name", "Last name")
    if language == "vi":
        django_own += ("Username", "Active")
    for english in django_own:
        assert f">{english}<" not in html and f">{english.upper()}<" not in html
    full_name, username = OUR_LABELS[language]
    assert full_name in html and "Nguyễn Văn An" in html and username in html
    change = unescape(
        client.get(
            f"/admin/core/user/{root.pk}/change/", headers={"accept-language": language}
        ).content.decode()
    )
    assert full_name in change and "Personal info" not in change
    assert "First name" not in change and "Last name" not in change
    assert "Email address" not in change


def test_the_admin_form_saves_one_full_name_split_at_its_last_word(group, rf):
    from django.contrib import admin

    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    user = person("an", "Nguyễn Văn An", role="leader")
    request = rf.get("/")
    request.user = root
    form_class = admin.site._registry[User].get_form(request, user, change=True)
    assert "first_name" not in form_class.base_fields
    assert form_class(instance=user).fields["full_name"].initial == "Nguyễn Văn An"
    data = {
        "username": "an",
        "full_name": "Trần Thị Bích Ngọc",
        "email": "",
        "role": "leader",
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
    }
    form = form_class(data, instance=user)
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert (user.last_name, user.first_name) == ("Trần Thị Bích", "Ngọc")
