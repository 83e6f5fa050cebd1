"""The inbox pages: the person's own notifications, the unread count in the header, marking
read, and the e-mail settings."""

from datetime import timedelta

import pytest

from parindex.core import clock
from parindex.core.models import EmailOptOut, Notification, NotificationKind, UnitGroup
from tests.builders import make_unit, make_user

pytestmark = pytest.mark.django_db
Kind = NotificationKind


def unit(code):
    UnitGroup.objects.get_or_create(code="SO", defaults={"name": "Khối SO"})
    return make_unit(code)


@pytest.fixture
def officer():
    return make_user("canbo.a", "officer", unit("A"))


def notes(user, count, *, read=False):
    start = clock.now()
    return Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=Kind.RETURNED,
            title=f"Thông báo số {n}",
            body="Giải trình trước hạn",
            url="/assessments/2023/A/",
            key=f"test:{user.pk}:{n}:{read}",
            created_at=start + timedelta(seconds=n),
            read_at=start if read else None,
        )
        for n in range(count)
    )


def test_the_header_shows_the_unread_count(client, officer):
    notes(officer, 3)
    notes(officer, 2, read=True)
    client.force_login(officer)
    page = client.get("/trends/").content.decode()
    assert 'href="/inbox/"' in page
    assert 'aria-label="Thông báo: 3 chưa đọc"' in page
    assert '<strong class="unread-count">(3)</strong>' in page


def test_no_badge_when_everything_is_read(client, officer):
    notes(officer, 2, read=True)
    client.force_login(officer)
    page = client.get("/inbox/").content.decode()
    assert 'href="/inbox/"' in page and 'chưa đọc"' not in page and "unread-count" not in page


@pytest.mark.parametrize("count", [1, 80])
def test_the_inbox_takes_the_same_queries_whatever_the_number_of_notifications(
    client, officer, count, django_assert_max_num_queries
):
    notes(officer, count)
    client.force_login(officer)
    with django_assert_max_num_queries(5):  # session, user, unread count, page count, page
        response = client.get("/inbox/")
    assert response.status_code == 200


def test_the_inbox_lists_the_newest_first_unread_in_bold_thirty_a_page(client, officer):
    notes(officer, 35)
    Notification.objects.filter(title="Thông báo số 33").update(read_at=clock.now())
    notes(make_user("canbo.b", "officer", unit("B")), 1)
    client.force_login(officer)
    page = client.get("/inbox/").content.decode()
    assert page.index("Thông báo số 34") < page.index("Thông báo số 33") < page.index("số 32")
    assert "<strong>Thông báo số 34</strong>" in page
    assert "<strong>Thông báo số 33</strong>" not in page
    assert "Trang 1/2" in page and "Thông báo số 4<" not in page
    second = client.get("/inbox/?page=2").content.decode()
    assert "Thông báo số 0<" in second and "Thông báo số 34" not in second


def test_opening_a_notification_marks_it_read_and_goes_where_it_leads(client, officer):
    (note,) = notes(officer, 1)
    client.force_login(officer)
    response = client.get(f"/inbox/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/assessments/2023/A/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_persons_notification_answers_404_and_stays_unread(client, officer):
    (note,) = notes(officer, 1)
    client.force_login(make_user("canbo.b", "officer", unit("B")))
    assert client.get(f"/inbox/{note.pk}/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_marks_only_ones_own(client, officer):
    notes(officer, 3)
    other = make_user("canbo.b", "officer", unit("B"))
    notes(other, 2)
    client.force_login(officer)
    response = client.post("/inbox/read-all/", follow=True)
    assert "Đã đánh dấu 3 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(user=officer, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 2


def test_the_settings_page_turns_email_off_per_kind(client, officer):
    client.force_login(officer)
    page = client.get("/inbox/settings/").content.decode()
    assert page.count('type="checkbox" name="email"') == len(Kind.values)
    assert page.count(" checked") == len(Kind.values)
    assert "chưa có địa chỉ thư điện tử" in page
    keep = [k for k in Kind.values if k not in (Kind.SUBMITTED, Kind.RETURNED)]
    client.post("/inbox/settings/", {"email": [*keep, "khong-co"]})
    assert set(EmailOptOut.objects.filter(user=officer).values_list("kind", flat=True)) == {
        Kind.SUBMITTED,
        Kind.RETURNED,
    }
    assert client.get("/inbox/settings/").content.decode().count(" checked") == len(keep)
    client.post("/inbox/settings/", {"email": Kind.values})
    assert not EmailOptOut.objects.exists()


def test_the_unread_count_is_one_query_on_every_page(client, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notes(officer, 40)
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        client.get("/trends/")
    touching = [q["sql"] for q in queries if "core_notification" in q["sql"]]
    assert len(touching) == 1 and "COUNT(" in touching[0].upper()
