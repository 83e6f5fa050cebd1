"""The screens of the decisions that let a real year close: HTTP concerns, what each page says,
and refused forms that show their message at the field and save nothing."""

from datetime import timedelta

import pytest

from parindex.core import clock
from parindex.core.models import Assessment, AssessmentStatus, GroupStage, Period, PeriodGroup
from tests.builders import (
    assess,
    full_scores,
    job_page,
    make_period,
    make_unit,
    make_user,
    open_period,
    run_jobs,
    written_state,
)

pytestmark = pytest.mark.django_db

A = "/assessments/2023/A/"

CONFIRMED = {"confirmed": "1"}  # steps that cannot be undone are confirmed first


def dmy(day):
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def late():
    """Unit A has not submitted and the 2023 deadline was yesterday."""
    period = open_period(2023, deadline_days=-1)
    unit = make_unit("A")
    return assess(period, unit, status=AssessmentStatus.DRAFT), unit


def login(client, role, unit=None):
    user = make_user(f"{role}-{unit.code if unit else 'so'}", role, unit)
    client.force_login(user)
    return user


def queue_table(response) -> str:
    """The HTML of the queue's table (the group box below it lists units too)."""
    return (
        response.content.decode()
        .split('<div class="table-wrap" tabindex="0">')[1]
        .split("</table>")[0]
    )


def reload(assessment):
    return Assessment.objects.get(pk=assessment.pk)


# --- The queue and the unit's lists -------------------------------------------------------------


def test_queue_shows_late_extended_and_unranked_units(client, late):
    a, _unit = late
    period = a.period
    extended_to = clock.today() + timedelta(days=3)
    assess(period, make_unit("B"), status=AssessmentStatus.DRAFT)
    Assessment.objects.filter(unit__code="B").update(
        deadline_extended_to=extended_to, extension_reason="Mới sáp nhập"
    )
    c = assess(period, make_unit("C"), full_scores(50, 30))
    Assessment.objects.filter(pk=c.pk).update(unranked_reason="Mới thành lập")
    login(client, "reviewer")

    html = client.get("/review/2023/").content.decode()

    assert "Không nộp đúng hạn" in html
    assert f"gia hạn đến {dmy(extended_to)}" in html
    assert "Không xếp hạng" in html and "Mới thành lập" in html
    only_late = queue_table(client.get("/review/2023/", {"status": "late"}))
    assert "Đơn vị A" in only_late and "Đơn vị B" not in only_late


def test_the_units_own_page_and_list_say_it_did_not_submit_on_time(client, late):
    _a, unit = late
    login(client, "officer", unit)
    assert "Không nộp đúng hạn" in client.get(A).content.decode()
    client.force_login(make_user("lanhdao", "leader"))
    assert "Không nộp đúng hạn" in client.get("/assessments/").content.decode()


# --- Extensions ---------------------------------------------------------------------------------


def test_an_approver_extends_a_deadline_and_the_unit_sees_it(client, late):
    a, unit = late
    login(client, "approver")
    until = clock.today() + timedelta(days=5)

    response = client.post(
        A + "extend/", {"extend-until": dmy(until), "extend-reason": "Đơn vị mới sáp nhập"}
    )

    assert response.status_code == 302
    assert reload(a).deadline_extended_to == until
    login(client, "officer", unit)
    html = client.get(A).content.decode()
    assert f"Gia hạn đến {dmy(until)} — Đơn vị mới sáp nhập" in html
    assert "Không nộp đúng hạn" not in html
    assert f"{A}leaf/1.1/" in html  # entry is open again


@pytest.mark.parametrize(
    ("until", "reason", "message"),
    [
        (-1, "Lý do", "Ngày gia hạn phải từ hôm nay trở đi."),
        (3, "", "Cần ghi lý do gia hạn."),
        (None, "Lý do", "Ngày không hợp lệ"),
    ],
)
def test_an_extension_is_refused_at_the_field_and_saves_nothing(
    client, late, until, reason, message
):
    a, _unit = late
    login(client, "approver")
    day = "31/02/2030" if until is None else dmy(clock.today() + timedelta(days=until))
    before = written_state()

    response = client.post(A + "extend/", {"extend-until": day, "extend-reason": reason})

    assert response.status_code == 400
    assert '<ul class="errorlist"' in response.content.decode()
    assert message in response.content.decode()
    assert written_state() == before and reload(a).deadline_extended_to is None


# --- Appraisal of a unit that did not submit ----------------------------------------------------


def test_a_reviewer_appraises_a_late_draft_and_its_leaves_become_editable(client, late):
    a, _unit = late
    login(client, "reviewer")
    page = client.get(A + "appraise/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thẩm định khi đơn vị không nộp" in html
    assert f"{A}appraise/1.1/" not in html

    response = client.post(A + "appraise-late/", {"late-reason": "Quá hạn, không nộp"})

    assert response.status_code == 302
    a = reload(a)
    assert (a.status, a.late_reason) == (AssessmentStatus.APPRAISING, "Quá hạn, không nộp")
    html = client.get(A + "appraise/").content.decode()
    assert f"{A}appraise/1.1/" in html
    assert "Quá hạn, không nộp" in html


def test_a_late_appraisal_without_a_reason_is_refused_at_the_field(client, late):
    a, _unit = late
    login(client, "reviewer")
    before = written_state()
    response = client.post(A + "appraise-late/", {"late-reason": "  "})
    assert response.status_code == 400
    assert "Cần ghi lý do thẩm định khi đơn vị không nộp." in response.content.decode()
    assert written_state() == before and reload(a).status == AssessmentStatus.DRAFT


def test_a_refused_late_appraisal_is_a_message(client):
    period = open_period(2023, deadline_days=5)  # not late yet
    a = assess(period, make_unit("A"), status=AssessmentStatus.DRAFT)
    login(client, "reviewer")
    response = client.post(A + "appraise-late/", {"late-reason": "Không nộp"}, follow=True)
    assert "quá hạn" in response.content.decode()
    assert reload(a).status == AssessmentStatus.DRAFT


# --- Reopening and ranking of one unit ----------------------------------------------------------


def test_an_approver_reopens_a_closed_appraisal(client):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    login(client, "approver")
    assert "Mở lại thẩm định" in client.get(A + "appraise/").content.decode()

    empty = client.post(A + "reopen/", {"reopen-reason": ""})
    assert empty.status_code == 400
    assert "Cần ghi lý do mở lại thẩm định." in empty.content.decode()
    assert reload(a).status == AssessmentStatus.APPRAISED

    assert client.post(A + "reopen/", {"reopen-reason": "Sai sót"}).status_code == 302
    assert reload(a).status == AssessmentStatus.APPRAISING


def test_an_approver_leaves_a_unit_out_of_the_ranking_with_a_reason(client):
    period = make_period(2023)
    a = assess(period, make_unit("A"), full_scores(60, 30))
    login(client, "approver")

    empty = client.post(A + "ranking/", {"ranking-excluded": "on", "ranking-reason": ""})
    assert empty.status_code == 400
    assert "Cần ghi lý do không xếp hạng." in empty.content.decode()
    assert reload(a).unranked_reason == ""

    client.post(A + "ranking/", {"ranking-excluded": "on", "ranking-reason": "Mới thành lập"})
    assert reload(a).unranked_reason == "Mới thành lập"
    html = client.get(A + "appraise/").content.decode()
    assert "Không xếp hạng" in html and "Mới thành lập" in html


# --- Groups one by one, and the period's settings -----------------------------------------------


@pytest.fixture
def two_groups():
    """SO is fully appraised; QH still has a submitted unit."""
    period = make_period(2023, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("Q1", "QH"), full_scores(50, 30), status=AssessmentStatus.SUBMITTED)
    return period


def stage(period, code):
    return PeriodGroup.objects.get(period=period, group__code=code).stage


def test_groups_are_finalised_and_published_one_by_one_from_the_queue(client, two_groups):
    period = two_groups
    login(client, "approver")
    html = client.get("/review/2023/").content.decode()
    assert "/review/2023/groups/SO/finalise/" in html
    assert "/review/2023/groups/QH/finalise/" not in html  # Q1 is not appraised yet

    assert client.post("/review/2023/groups/SO/finalise/", CONFIRMED).status_code == 302
    assert stage(period, "SO") == GroupStage.FINALISED
    html = client.get("/review/2023/").content.decode()
    assert "/review/2023/groups/SO/publish/" in html

    data = {"decision_number": "12/QĐ-UBND", "decision_date": "01/03/2024"}
    asked = client.post("/review/2023/groups/SO/publish/", data)
    assert "Xác nhận công bố" in asked.content.decode()  # nothing published before confirming
    assert stage(period, "SO") == GroupStage.FINALISED
    started = client.post("/review/2023/groups/SO/publish/", data | CONFIRMED)
    assert "Đã công bố kết quả khối" in job_page(client, started).content.decode()
    assert (stage(period, "SO"), stage(period, "QH")) == (GroupStage.PUBLISHED, GroupStage.OPEN)
    html = client.get("/review/2023/").content.decode()
    assert "12/QĐ-UBND" in html and "01/03/2024" in html


def test_publishing_a_group_needs_a_decision_date_at_the_field(client, two_groups):
    period = two_groups
    login(client, "approver")
    client.post("/review/2023/groups/SO/finalise/", CONFIRMED)
    before = written_state()
    response = client.post("/review/2023/groups/SO/publish/", {"decision_number": "12/QĐ"})
    assert response.status_code == 400
    assert "Nhập ngày (ngày/tháng/năm)." in response.content.decode()
    assert written_state() == before and stage(period, "SO") == GroupStage.FINALISED


def test_the_period_page_says_which_groups_are_published(client, two_groups):
    login(client, "approver")
    client.post("/review/2023/groups/SO/finalise/", CONFIRMED)
    client.post(
        "/review/2023/groups/SO/publish/",
        {"decision_number": "12/QĐ-UBND", "decision_date": "01/03/2024", **CONFIRMED},
    )
    run_jobs()
    client.logout()

    html = client.get("/rankings/2023/").content.decode()

    assert "QĐ số 12/QĐ-UBND" in html and "ngày 01/03/2024" in html
    assert "Chưa công bố" in html  # the open group: its name, no figures
    assert "Kết quả của khối này sẽ hiện ở đây khi được công bố." in html
    assert client.get("/rankings/2023/SO/").status_code == 200
    assert client.get("/rankings/2023/QH/")["Location"].startswith("/accounts/login/")
    client.force_login(make_user("canbo", "officer", make_unit("A")))
    assert client.get("/rankings/2023/QH/").status_code == 403


def test_an_approver_decides_per_period_whether_a_group_is_ranked(client, two_groups):
    period = two_groups
    login(client, "approver")
    url = "/review/2023/groups/QH/ranking/"

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    assert "Cần ghi lý do khối không xếp hạng kỳ này." in empty.content.decode()
    assert PeriodGroup.objects.get(period=period, group__code="QH").ranked is True

    assert client.post(url, {"reason": "Đang sắp xếp tổ chức"}).status_code == 302
    pg = PeriodGroup.objects.get(period=period, group__code="QH")
    assert (pg.ranked, pg.unranked_reason) == (False, "Đang sắp xếp tổ chức")
    assert "Đang sắp xếp tổ chức" in client.get("/review/2023/").content.decode()


def test_an_approver_sets_the_tie_rule_in_the_period_settings(client, two_groups):
    login(client, "approver")
    html = client.get("/review/2023/").content.decode()
    assert "Theo điểm chưa làm tròn" in html and 'name="rule"' in html

    assert client.post("/review/2023/settings/", {"rule": "unrounded"}).status_code == 302
    assert Period.objects.get(year=2023).tie_rule == "unrounded"
    assert client.post("/review/2023/settings/", {"rule": "nonsense"}).status_code == 400
    assert Period.objects.get(year=2023).tie_rule == "unrounded"


def test_an_unknown_group_is_not_found(client, two_groups):
    login(client, "approver")
    assert client.post("/review/2023/groups/XX/finalise/").status_code == 404


def test_the_appraisal_page_header_says_a_late_unit_did_not_submit_on_time(client, late):
    login(client, "reviewer")
    header = client.get(A + "appraise/").content.decode().split('class="decisions"')[0]
    assert "Không nộp đúng hạn" in header and "Chưa nộp" not in header


def test_the_decision_panel_says_when_the_unit_s_group_is_not_ranked_this_period(client, late):
    a, _unit = late
    PeriodGroup.objects.filter(period=a.period).update(
        ranked=False, unranked_reason="Đang sắp xếp tổ chức bộ máy"
    )
    login(client, "approver")
    panel = client.get(A + "appraise/").content.decode().split('class="card decisions"')[1]
    assert "Khối không xếp hạng kỳ này — Đang sắp xếp tổ chức bộ máy" in panel
