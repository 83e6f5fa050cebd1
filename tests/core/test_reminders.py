"""``manage.py sendreminders``: what is due on a day, sent once however often it runs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from parindex.core import clock
from parindex.core.models import AssessmentStatus, Notification, NotificationKind
from parindex.core.services.reminders import step
from tests.builders import assess, make_unit, make_user, open_period

pytestmark = pytest.mark.django_db
Kind = NotificationKind


@pytest.fixture
def w():
    """A period whose deadline is 7 days away: A drafting, B submitted, C asked to explain."""
    period = open_period(deadline_days=7)
    units = {code: make_unit(code) for code in "ABC"}
    a = assess(period, units["A"], status=AssessmentStatus.DRAFT)
    assess(period, units["B"], status=AssessmentStatus.SUBMITTED)
    c = assess(period, units["C"], status=AssessmentStatus.RETURNED)
    c.explanation_deadline = clock.today() + timedelta(days=3)
    c.save()
    for code, unit in units.items():
        for role, name in (("officer", "canbo"), ("unit_head", "lanhdao")):
            user = make_user(f"{name}.{code.lower()}", role, unit)
            user.email = f"{user.username}@example.gov.vn"
            user.save()
    make_user("thamdinh", "reviewer")
    return {"period": period, "a": a, "c": c}


def run(*args) -> str:
    out = StringIO()
    call_command("sendreminders", *args, stdout=out)
    return out.getvalue()


def sent() -> list[tuple[str, str]]:
    return sorted((m.to[0].split("@")[0], m.subject) for m in mail.outbox)


@pytest.mark.parametrize(
    "days_left, due", [(8, None), (7, 7), (5, 7), (4, 7), (3, 3), (2, 3), (1, 1), (0, None)]
)
def test_the_reminder_due_is_the_closest_step_at_or_above_the_days_left(days_left, due):
    assert step(days_left) == due


def test_running_twice_sends_each_due_reminder_once(w):
    run()
    first = sent()
    run()
    assert sent() == first
    assert first == sorted(
        [
            (who, subject)
            for who in ("canbo.a", "lanhdao.a")
            for subject in (
                "[Chỉ số CCHC] Kỳ đánh giá năm 2023 đã mở: Đơn vị A tự đánh giá",
                "[Chỉ số CCHC] Còn 7 ngày đến hạn tự đánh giá năm 2023",
            )
        ]
        + [
            (
                who,
                "[Chỉ số CCHC] Còn 3 ngày đến hạn giải trình năm 2023 "
                f"({w['c'].explanation_deadline:%d/%m/%Y})",
            )
            for who in ("canbo.c", "lanhdao.c")
        ]
    )
    assert Notification.objects.count() == 6


def test_a_missed_day_is_caught_up_and_each_step_goes_out_once(w):
    deadline = w["period"].self_assessment_deadline
    for days in (5, 4, 3, 2, 1, 0):
        run("--date", (deadline - timedelta(days=days)).isoformat())
    kinds = Notification.objects.filter(user__username="canbo.a").values_list("kind", flat=True)
    assert sorted(kinds) == sorted(
        [Kind.PERIOD_OPENED, Kind.DEADLINE_7, Kind.DEADLINE_3, Kind.DEADLINE_1]
    )
    one_day = Notification.objects.get(user__username="canbo.a", kind=Kind.DEADLINE_1)
    assert one_day.title == "Còn 1 ngày đến hạn tự đánh giá năm 2023"


def test_a_unit_with_an_extension_is_reminded_of_its_own_deadline(w):
    w["a"].deadline_extended_to = w["period"].self_assessment_deadline + timedelta(days=20)
    w["a"].save()
    run()
    assert not Notification.objects.filter(kind=Kind.DEADLINE_7).exists()
    run("--date", (w["a"].deadline_extended_to - timedelta(days=3)).isoformat())
    assert Notification.objects.filter(kind=Kind.DEADLINE_3).count() == 2
    # the period has moved on to appraisal; the unit's own window is still open
    w["period"].status = "appraising"
    w["period"].save()
    Notification.objects.all().delete()
    run("--date", (w["a"].deadline_extended_to - timedelta(days=1)).isoformat())
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [Kind.DEADLINE_1] * 2


def test_nothing_is_due_once_a_deadline_has_passed(w):
    run("--date", (w["period"].self_assessment_deadline + timedelta(days=1)).isoformat())
    assert not Notification.objects.filter(user__unit__code="A").exists()


def test_a_dry_run_lists_and_writes_nothing(w):
    out = run("--dry-run")
    assert "Sẽ gửi 3 nhắc việc tới 6 lượt người" in out
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("--date", "31/12/2030")
