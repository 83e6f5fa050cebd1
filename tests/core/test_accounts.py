"""The accounts services: names in Vietnamese order, the rules of an account, refusals that
write nothing, audit entries, and the one-time password link."""

import datetime

import pytest
from django.core import mail

from parindex.core import clock
from parindex.core.account_rules import AccountData, role_from_text
from parindex.core.demo.data import ACCOUNTS
from parindex.core.models import AuditEntry, Unit, UnitGroup, User
from parindex.core.services import WorkflowError
from parindex.core.services.accounts import (
    AccountError,
    create_account,
    deactivate_account,
    reactivate_account,
    send_password_link,
    update_account,
)
from tests.builders import make_user

pytestmark = pytest.mark.django_db
SITE = "https://cchc.example.gov.vn/"
DEMO_USERNAMES = [account[0] for account in ACCOUNTS]


@pytest.fixture
def admin():
    return make_user("quantri", "admin")


@pytest.fixture
def units():
    group = UnitGroup.objects.create(code="SO", name="Khối sở")
    yesterday = clock.today() - datetime.timedelta(days=1)
    return {
        "STP": Unit.objects.create(code="STP", name="Sở Tư pháp", group=group),
        "Q1": Unit.objects.create(code="Q1", name="UBND Quận 1", group=group, valid_to=yesterday),
    }


def typed(**values):
    fields = {
        "username": "nguyenvanan",
        "full_name": "Nguyễn Văn An",
        "email": "an.nv@example.gov.vn",
        "role": "officer",
        "unit_code": "STP",
    }
    return AccountData.typed(**(fields | values))


def written():
    return (User.objects.count(), AuditEntry.objects.count(), len(mail.outbox))


@pytest.mark.parametrize(
    "full_name, last_name, first_name",
    [
        ("Nguyễn Văn An", "Nguyễn Văn", "An"),
        ("  Tôn   Nữ Thị  Ninh ", "Tôn Nữ Thị", "Ninh"),
        ("An", "", "An"),
    ],
)
def test_a_full_name_is_stored_split_at_its_last_word_and_read_back_ho_first(
    full_name, last_name, first_name
):
    user = User(username="x")
    user.full_name = full_name
    assert (user.last_name, user.first_name) == (last_name, first_name)
    assert user.get_full_name() == " ".join(full_name.split())
    assert user.get_short_name() == first_name


def test_names_entered_in_django_fields_read_in_vietnamese_order():
    split = User(username="a", first_name="An", last_name="Nguyễn Văn")
    whole = User(username="b", first_name="Nguyễn Văn An")  # the demo's old way: all in one
    assert str(split) == str(whole) == "Nguyễn Văn An"


@pytest.mark.parametrize(
    "text, role",
    [
        ("officer", "officer"),
        ("Cán bộ đầu mối", "officer"),
        ("can bo dau moi", "officer"),
        ("LÃNH ĐẠO ĐƠN VỊ", "unit_head"),
        ("Thẩm định viên", "reviewer"),
        ("Thẩm định viên (Sở Nội vụ)", "reviewer"),
        ("Quản trị hệ thống", "admin"),
        ("Giám đốc", None),
        ("", None),
    ],
)
def test_a_role_is_named_by_its_code_or_its_vietnamese_label(text, role):
    assert role_from_text(text) == role


def test_a_new_account_has_no_password_and_its_owner_is_emailed_a_one_time_link(admin, units):
    saved = create_account(typed(), by=admin, base_url=SITE)
    user = User.objects.get(username="nguyenvanan")
    assert saved.link_sent
    assert not user.has_usable_password()
    assert (user.last_name, user.first_name, user.unit, user.role) == (
        "Nguyễn Văn",
        "An",
        units["STP"],
        "officer",
    )
    assert not user.is_staff and not user.is_superuser
    [message] = mail.outbox
    assert message.to == ["an.nv@example.gov.vn"]
    assert "https://cchc.example.gov.vn/accounts/password/set/" in message.body
    assert "nguyenvanan" in message.body and "Nguyễn Văn An" in message.body
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "actor__username"))
    assert actions == [("user.created", "quantri"), ("user.link_sent", "quantri")]
    created = AuditEntry.objects.get(action="user.created")
    assert created.changes["unit"] == ["", "STP"]
    assert created.changes["full_name"] == ["", "Nguyễn Văn An"]


def test_an_administrator_account_gets_the_django_admin_with_its_role(admin, units):
    create_account(typed(role="admin", unit_code=""), by=admin, base_url=SITE)
    user = User.objects.get(username="nguyenvanan")
    assert user.is_staff and user.is_superuser


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"role": "officer", "unit_code": ""}, "unit_code", "phải thuộc một đơn vị"),
        ({"role": "unit_head", "unit_code": ""}, "unit_code", "phải thuộc một đơn vị"),
        ({"role": "reviewer", "unit_code": "STP"}, "unit_code", "không thuộc đơn vị nào"),
        ({"role": "admin", "unit_code": "STP"}, "unit_code", "không thuộc đơn vị nào"),
        ({"unit_code": "XYZ"}, "unit_code", "Không có đơn vị mã “XYZ”"),
        ({"unit_code": "Q1"}, "unit_code", "đã thôi hoạt động"),
        ({"email": "an.nv@"}, "email", "không hợp lệ"),
        ({"email": ""}, "email", "Nhập địa chỉ email"),
        ({"full_name": "  "}, "full_name", "Nhập họ và tên"),
        ({"username": "nguyễn an"}, "username", "không hợp lệ"),
        ({"username": "QuanTri"}, "username", "đã có người dùng"),
        ({"role": "giamdoc"}, "role", "không có"),
    ],
)
def test_an_account_outside_the_rules_is_refused_at_its_field_and_nothing_is_written(
    admin, units, values, field, message
):
    before = written()
    with pytest.raises(AccountError) as refused:
        create_account(typed(**values), by=admin, base_url=SITE)
    assert message in refused.value.fields[field]
    assert written() == before


def test_only_an_administrator_manages_accounts(units):
    leader = make_user("lanhdao", "leader")
    before = written()
    with pytest.raises(WorkflowError, match="Chỉ quản trị"):
        create_account(typed(), by=leader, base_url=SITE)
    with pytest.raises(WorkflowError, match="Chỉ quản trị"):
        deactivate_account(leader, by=leader)
    assert written() == before


def test_a_change_is_audited_old_to_new_and_the_username_stays(admin, units):
    user = make_user("canbo", "officer", units["STP"])
    update_account(
        user,
        typed(username="other", full_name="Lê Thị Hoa", role="reviewer", unit_code=""),
        by=admin,
    )
    user.refresh_from_db()
    assert (user.username, user.get_full_name(), user.role, user.unit) == (
        "canbo",
        "Lê Thị Hoa",
        "reviewer",
        None,
    )
    entry = AuditEntry.objects.get(action="user.changed")
    assert entry.changes["role"] == ["officer", "reviewer"]
    assert entry.changes["unit"] == ["STP", ""]
    assert entry.object_id == str(user.pk)


def test_an_account_keeps_its_abolished_unit_when_only_its_name_changes(admin, units):
    user = make_user("canbo.q1", "officer", units["Q1"])
    update_account(user, typed(full_name="Lê Văn Tám", unit_code="Q1"), by=admin)
    assert User.objects.get(pk=user.pk).get_full_name() == "Lê Văn Tám"
    other = make_user("canbo.stp", "officer", units["STP"])
    with pytest.raises(AccountError) as refused:
        update_account(other, typed(unit_code="Q1"), by=admin)
    assert "đã thôi hoạt động" in refused.value.fields["unit_code"]


def test_an_administrator_cannot_lock_themselves_out(admin, units):
    before = written()
    with pytest.raises(WorkflowError, match="chính mình"):
        deactivate_account(admin, by=admin)
    with pytest.raises(AccountError) as refused:
        update_account(admin, typed(role="leader", unit_code=""), by=admin)
    assert "chính mình" in refused.value.fields["role"]
    assert written() == before
    assert User.objects.get(pk=admin.pk).is_active


def test_locking_and_unlocking_are_audited_and_not_done_twice(admin, units):
    user = make_user("canbo", "officer", units["STP"])
    deactivate_account(user, by=admin)
    assert not User.objects.get(pk=user.pk).is_active
    with pytest.raises(WorkflowError, match="đã bị khóa"):
        deactivate_account(user, by=admin)
    with pytest.raises(WorkflowError, match="bị khóa"):
        send_password_link(user, by=admin, base_url=SITE)
    reactivate_account(user, by=admin)
    assert User.objects.get(pk=user.pk).is_active
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["user.deactivated", "user.reactivated"]


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")


def test_a_mail_server_that_refuses_leaves_the_account_made_and_says_the_link_was_not_sent(
    admin, units, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    saved = create_account(typed(), by=admin, base_url=SITE)
    assert not saved.link_sent
    assert User.objects.filter(username="nguyenvanan").exists()
    assert not AuditEntry.objects.filter(action="user.link_sent").exists()


def test_the_demo_accounts_have_vietnamese_names_and_an_email(demo):
    lan = User.objects.get(username="canbo.tuphap")
    assert (lan.last_name, lan.first_name, lan.get_full_name()) == (
        "Nguyễn Thị",
        "Lan",
        "Nguyễn Thị Lan",
    )
    assert all(User.objects.filter(username__in=DEMO_USERNAMES).values_list("email", flat=True))
