"""Access as a table: every URL × every persona → expected status.

A test walks the URLconf and fails when a named URL is missing from the table. Objects of
another unit answer 404 (no information leak); in scope but not allowed answers 403.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from parindex.core.models import (
    AdjustmentKind,
    AssessmentStatus,
    Notification,
    NotificationKind,
)
from parindex.core.services.adjustments import propose_adjustment
from parindex.core.services.assessments import add_evidence, save_self_score
from parindex.core.services.results import finalise_period, publish_results
from tests.builders import (
    PDF_BYTES,
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    open_period,
    upload,
)

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "officer_a",
    "officer_b",
    "head_a",
    "reviewer",
    "approver",
    "leader",
    "admin",
]
STAFF = {"reviewer", "approver", "leader", "admin"}


def expect(anonymous, officer_a, officer_b, head_a, staff, **overrides):
    """Expected statuses per persona; ``staff`` covers reviewer, approver, leader and admin
    unless one of them is given on its own."""
    statuses = {
        "anonymous": anonymous,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "head_a": head_a,
        "reviewer": staff,
        "approver": staff,
        "leader": staff,
        "admin": staff,
    }
    statuses.update(overrides)
    return statuses


REVIEWERS_ONLY = {"leader": 403, "admin": 403}
APPROVER_ONLY = {"reviewer": 403, "leader": 403, "admin": 403}


A = "/assessments/2023/A/"
# name → (method, url, expected statuses). {ev} is the id of unit A's evidence file.
TABLE = {
    "web:home": ("get", "/", expect(302, 302, 302, 302, 302)),
    "web:healthz": ("get", "/healthz", expect(200, 200, 200, 200, 200)),
    "web:readyz": ("get", "/readyz", expect(200, 200, 200, 200, 200)),
    # "Việc cần làm": everyone logged in; a leader's work is the dashboard (a redirect).
    "web:todo": ("get", "/todo/", expect(302, 200, 200, 200, 200, leader=302)),
    "web:rankings": ("get", "/rankings/2022/", expect(200, 200, 200, 200, 200)),
    "web:ranking-group": ("get", "/rankings/2022/SO/", expect(200, 200, 200, 200, 200)),
    # Dashboards: published results are public; the open 2023 period has no results yet.
    "web:dashboard-latest": ("get", "/dashboard/", expect(200, 200, 200, 200, 200)),
    "web:dashboard": ("get", "/dashboard/2022/", expect(200, 200, 200, 200, 200)),
    "web:unit-profile": ("get", "/units/A/", expect(200, 200, 200, 200, 200)),
    "web:trends": ("get", "/trends/", expect(200, 200, 200, 200, 200)),
    "web:assessments": ("get", "/assessments/", expect(302, 302, 302, 302, 200)),
    "web:assessment": ("get", A, expect(302, 200, 404, 200, 200)),
    "web:leaf-save": ("post", A + "leaf/1.2.1/", expect(302, 302, 404, 302, 403)),
    "web:assessment-totals": ("get", A + "totals/", expect(302, 200, 404, 200, 200)),
    "web:evidence-upload": ("post", A + "leaf/1.1/evidence/", expect(302, 302, 404, 302, 403)),
    "web:evidence-download": ("get", A + "evidence/{ev}/", expect(302, 200, 404, 200, 200)),
    "web:evidence-delete": ("post", A + "evidence/{ev}/delete/", expect(302, 302, 404, 302, 403)),
    "web:assessment-submit": ("post", A + "submit/", expect(302, 403, 404, 302, 403)),
    "web:assessment-withdraw": ("post", A + "withdraw/", expect(302, 403, 404, 302, 403)),
    "web:appraise": ("get", A + "appraise/", expect(302, 403, 404, 403, 200)),
    "web:appraisal-totals": ("get", A + "appraisal-totals/", expect(302, 403, 404, 403, 200)),
    # A is a draft: reviewers are let in and refused by the state (400), others never.
    "web:appraise-leaf": (
        "post",
        A + "appraise/1.1/",
        expect(302, 403, 404, 403, 400, **REVIEWERS_ONLY),
    ),
    "web:assessment-return": (
        "post",
        A + "return/",
        expect(302, 403, 404, 403, 302, **REVIEWERS_ONLY),
    ),
    "web:assessment-finalise": (
        "post",
        A + "finalise/",
        expect(302, 403, 404, 403, 302, **REVIEWERS_ONLY),
    ),
    "web:explain-leaf": ("post", A + "explain/1.2.1/", expect(302, 400, 404, 400, 403)),
    "web:explanation-send": ("post", A + "send-explanation/", expect(302, 403, 404, 302, 403)),
    # The appraisal team: reviewers mark their part (A is a draft: refused by its state, 302);
    # whoever sees the unit posts in a leaf's thread; approvers assign.
    "web:appraisal-part-done": (
        "post",
        A + "part-done/",
        expect(302, 403, 404, 403, 302, **REVIEWERS_ONLY),
    ),
    "web:leaf-comment": ("post", A + "leaf/1.1/comment/", expect(302, 302, 404, 302, 302)),
    "web:period-team": ("get", "/review/2023/team/", expect(302, 403, 403, 403, 200)),
    "web:assignment-remove": (
        "post",
        "/review/2023/team/{asg}/remove/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    # Decisions on one unit: approvers decide; a reviewer appraises a unit that did not submit.
    # A is a draft before its deadline: the services refuse what its state does not allow (302).
    "web:assessment-extend": (
        "post",
        A + "extend/",
        expect(302, 403, 404, 403, 302, **APPROVER_ONLY),
    ),
    "web:assessment-appraise-late": (
        "post",
        A + "appraise-late/",
        expect(302, 403, 404, 403, 302, **REVIEWERS_ONLY),
    ),
    "web:assessment-reopen": (
        "post",
        A + "reopen/",
        expect(302, 403, 404, 403, 302, **APPROVER_ONLY),
    ),
    "web:assessment-ranking": (
        "post",
        A + "ranking/",
        expect(302, 403, 404, 403, 302, **APPROVER_ONLY),
    ),
    "web:lost-points": ("get", "/assessments/2022/A/lost/", expect(302, 200, 404, 200, 200)),
    "web:remediation-save": (
        "post",
        "/assessments/2022/A/remediation/",
        expect(302, 302, 404, 302, 403),
    ),
    "web:review": ("get", "/review/", expect(302, 403, 403, 403, 302)),
    "web:review-queue": ("get", "/review/2023/", expect(302, 403, 403, 403, 200)),
    "web:review-progress": ("get", "/review/2023/progress/", expect(302, 403, 403, 403, 200)),
    "web:adjustments": ("get", "/review/2023/adjustments/", expect(302, 403, 403, 403, 200)),
    "web:period-finalise": (
        "post",
        "/review/2023/finalise/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    "web:period-publish": (
        "post",
        "/review/2023/publish/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    "web:period-correct": (
        "post",
        "/review/2022/correct/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    # Each group on its own, and the period's settings: approvers only.
    "web:period-settings": (
        "post",
        "/review/2023/settings/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    "web:group-finalise": (
        "post",
        "/review/2023/groups/SO/finalise/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    "web:group-publish": (
        "post",
        "/review/2023/groups/SO/publish/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    "web:group-ranking": (
        "post",
        "/review/2023/groups/SO/ranking/",
        expect(302, 403, 403, 403, 302, **APPROVER_ONLY),
    ),
    # Proposed by the reviewer: only another person with the approver role decides.
    "web:adjustment-decide": (
        "post",
        "/review/adjustments/{adj}/decide/",
        expect(302, 404, 404, 404, 403, approver=302),
    ),
    "web:adjustment-file": (
        "get",
        "/review/adjustments/{adj}/file/",
        expect(302, 404, 404, 404, 200),
    ),
    "web:scorecard": ("get", A + "scorecard.xlsx", expect(302, 200, 404, 200, 200)),
    "web:imports": ("get", "/imports/", expect(302, 403, 403, 403, 403, admin=200)),
    "web:import-upload": ("post", "/imports/units/", expect(302, 403, 403, 403, 403, admin=400)),
    "web:import-confirm": (
        "post",
        "/imports/units/confirm/",
        expect(302, 403, 403, 403, 403, admin=302),  # to the job's page
    ),
    "web:import-template": (
        "get",
        "/imports/units/template.xlsx",
        expect(302, 403, 403, 403, 403, admin=200),
    ),
    "web:period-workbook": ("get", "/review/2022/workbook.xlsx", expect(302, 403, 403, 403, 200)),
    "web:period-export": ("post", "/review/2022/export/", expect(302, 403, 403, 403, 302)),
    "web:period-compute": ("post", "/review/2023/compute/", expect(302, 403, 403, 403, 302)),
    # A job is followed by the person who started it (the approver here) and administrators.
    "web:jobs": ("get", "/jobs/", expect(302, 403, 403, 403, 403, admin=200)),
    "web:job": ("get", "/jobs/{job}/", expect(302, 404, 404, 404, 404, approver=200, admin=200)),
    "web:job-progress": (
        "get",
        "/jobs/{job}/progress/",
        expect(302, 404, 404, 404, 404, approver=200, admin=200),
    ),
    "web:job-file": (
        "get",
        "/jobs/{job}/file/",
        expect(302, 404, 404, 404, 404, approver=200, admin=200),
    ),
    # An inbox is its owner's only: the notification {note} is officer_a's.
    "web:inbox": ("get", "/inbox/", expect(302, 200, 200, 200, 200)),
    "web:inbox-open": ("get", "/inbox/{note}/", expect(302, 302, 404, 404, 404)),
    "web:inbox-read-all": ("post", "/inbox/read-all/", expect(302, 302, 302, 302, 302)),
    "web:inbox-settings": ("get", "/inbox/settings/", expect(302, 200, 200, 200, 200)),
    # The administrator's accounts page ({acc}: officer A's account).
    "web:accounts": ("get", "/accounts/", expect(302, 403, 403, 403, 403, admin=200)),
    "web:account-create": ("get", "/accounts/new/", expect(302, 403, 403, 403, 403, admin=200)),
    "web:account": ("get", "/accounts/{acc}/", expect(302, 403, 403, 403, 403, admin=200)),
    "web:account-deactivate": (
        "post",
        "/accounts/{acc}/deactivate/",
        expect(302, 403, 403, 403, 403, admin=302),
    ),
    "web:account-reactivate": (
        "post",
        "/accounts/{acc}/reactivate/",
        expect(302, 403, 403, 403, 403, admin=302),  # refused (already active): a message
    ),
    "web:account-send-link": (
        "post",
        "/accounts/{acc}/send-link/",
        expect(302, 403, 403, 403, 403, admin=302),
    ),
    "web:accounts-import": (
        "post",
        "/accounts/import/",
        expect(302, 403, 403, 403, 403, admin=400),  # no file
    ),
    "web:accounts-import-confirm": (
        "post",
        "/accounts/import/confirm/",
        expect(302, 403, 403, 403, 403, admin=400),  # no staged file
    ),
    "web:accounts-import-template": (
        "get",
        "/accounts/import/template.xlsx",
        expect(302, 403, 403, 403, 403, admin=200),
    ),
    # Setting one's password through an e-mailed link: open to everyone (the link is the key).
    "password_reset": ("get", "/accounts/password/reset/", expect(200, 200, 200, 200, 200)),
    "password_reset_done": (
        "get",
        "/accounts/password/reset/sent/",
        expect(200, 200, 200, 200, 200),
    ),
    "password_reset_confirm": (
        "get",
        "/accounts/password/set/MQ/not-a-token/",
        expect(200, 200, 200, 200, 200),  # "Liên kết không còn dùng được"
    ),
    "password_reset_complete": (
        "get",
        "/accounts/password/set/done/",
        expect(200, 200, 200, 200, 200),
    ),
    # The footer's language switch: anyone may choose, and goes back where they were.
    "set_language": ("post", "/i18n/setlang/", expect(302, 302, 302, 302, 302)),
    "login": ("get", "/accounts/login/", expect(200, 200, 200, 200, 200)),
    "logout": ("post", "/accounts/logout/", expect(302, 302, 302, 302, 302)),
    "password_change": ("get", "/accounts/password/", expect(302, 200, 200, 200, 200)),
    "password_change_done": ("get", "/accounts/password/done/", expect(302, 200, 200, 200, 200)),
}
NOT_IN_TABLE = {"admin"}  # Django's own admin: staff-only by Django, checked below once


def named_urls(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in NOT_IN_TABLE:
                continue
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_named_url_is_in_the_access_table():
    assert set(named_urls()) - set(TABLE) == set()


def build_world():
    published = make_period(2022)
    assess(published, make_unit("A"), full_scores(60, 30))
    assess(published, make_unit("B"), full_scores(50, 30))
    finalise_period(published)
    publish_results(published)
    period = open_period(2023)
    a = assess(period, make_unit("A"), status=AssessmentStatus.DRAFT)
    b = assess(period, make_unit("B"), status=AssessmentStatus.DRAFT)
    users = {
        "officer_a": make_user("officer_a", "officer", make_unit("A")),
        "officer_b": make_user("officer_b", "officer", make_unit("B")),
        "head_a": make_user("head_a", "unit_head", make_unit("A")),
        "reviewer": make_user("reviewer", "reviewer"),
        "approver": make_user("approver", "approver"),
        "leader": make_user("leader", "leader"),
        "admin": make_user("admin", "admin"),
    }
    save_self_score(
        a, leaf_of(period, "1.2.1"), by=users["officer_a"], points_text="20", note="", revision=0
    )
    evidence = add_evidence(
        a, leaf_of(period, "1.1"), by=users["officer_a"], file=upload("bc.pdf", PDF_BYTES)
    )
    adjustment = propose_adjustment(
        a,
        by=users["reviewer"],
        kind=AdjustmentKind.DEDUCTION,
        category=leaf_of(period, "3.2"),
        amount_text="0.5",
        reason="Chậm báo cáo",
        file=upload("cv.pdf", PDF_BYTES),
    )
    from parindex.core.models import JobKind, Period
    from parindex.core.services.jobs import start_job
    from tests.builders import run_jobs

    job = start_job(
        JobKind.EXPORT_PERIOD,
        "Xuất sổ điểm 2022",
        by=users["approver"],
        period=Period.objects.get(year=2022),
    )
    run_jobs()
    note = Notification.objects.create(
        user=users["officer_a"],
        kind=NotificationKind.RETURNED,
        title="Kết quả thẩm định",
        url=A,
        key="returned:A",
        created_at=job.created_at,
    )
    from parindex.core.services.team import add_assignment

    assignment = add_assignment(  # unit B only: unit A stays with the pool (every persona)
        period, by=users["approver"], reviewer=make_user("reviewer_b", "reviewer"), unit=b.unit
    )
    return {
        "users": users,
        "evidence": evidence,
        "adjustment": adjustment,
        "job": job,
        "note": note,
        "assignment": assignment,
    }


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, shared_media):
    """The world of the table, built once for the module: each of the ~330 cases runs in a
    savepoint in it and is rolled back (see ``built_once``). Its evidence and adjustment files are
    in the module's media folder (``shared_media``)."""
    from tests.builders import built_once

    yield from built_once(django_db_blocker, build_world)


@pytest.fixture
def world(module_world, db, django_user_model):
    """The module's world with its objects read again from the database: the objects built for
    the module are shared, and a previous case may have changed its copy in memory."""
    users = module_world["users"]
    fresh = django_user_model.objects.in_bulk([user.pk for user in users.values()])
    evidence, adjustment = module_world["evidence"], module_world["adjustment"]
    return {
        "users": {persona: fresh[user.pk] for persona, user in users.items()},
        "evidence": type(evidence).objects.get(pk=evidence.pk),
        "adjustment": type(adjustment).objects.get(pk=adjustment.pk),
        "job": module_world["job"],
        "note": module_world["note"],
        "assignment": module_world["assignment"],
    }


# Steps that cannot be undone ask first (tests/web/test_confirmations.py); here they go ahead.
CONFIRMED = {"confirmed": "1"}
POST_DATA = {
    "web:evidence-delete": CONFIRMED,
    "web:assessment-submit": CONFIRMED,
    "web:assessment-finalise": CONFIRMED,
    "web:explanation-send": CONFIRMED,
    "web:period-finalise": CONFIRMED,
    "web:account-deactivate": CONFIRMED,
    "web:account-reactivate": CONFIRMED,
    "web:group-finalise": CONFIRMED,
    "web:leaf-save": {"points": "25", "note": "", "revision": "1"},
    "web:evidence-upload": {"citation": "tr. 2"},
    "web:appraise-leaf": {"points": "10", "note": "Chậm", "revision": "0"},
    "web:assessment-return": {"deadline": "31/12/2030"},
    "web:explain-leaf": {"text": "Giải trình", "revision": "1"},
    "web:remediation-save": {
        "measure": "Ban hành sớm",
        "owner": "Văn phòng",
        "due_date": "31/12/2030",
        "status": "planned",
    },
    "web:period-publish": {"decision_number": "1/QĐ", **CONFIRMED},
    "web:adjustment-decide": {"decision": "approve"},
    "web:assessment-extend": {"extend-until": "31/12/2030", "extend-reason": "Mới sáp nhập"},
    "web:assessment-appraise-late": {"late-reason": "Không nộp"},
    "web:assessment-reopen": {"reopen-reason": "Sai sót"},
    "web:assessment-ranking": {"ranking-excluded": "on", "ranking-reason": "Mới thành lập"},
    "web:period-settings": {"rule": "unrounded"},
    "web:group-publish": {"decision_number": "1/QĐ", "decision_date": "01/02/2024", **CONFIRMED},
    "web:group-ranking": {"ranked": "on"},
    "web:leaf-comment": {"comment": "Đã bổ sung tài liệu"},
    "set_language": {"language": "en", "next": "/"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_access_table(client, world, name, persona):
    method, url, expected = TABLE[name]
    if persona != "anonymous":
        client.force_login(world["users"][persona])
    url = url.format(
        ev=world["evidence"].pk,
        adj=world["adjustment"].pk,
        job=world["job"].pk,
        note=world["note"].pk,
        acc=world["users"]["officer_a"].pk,
        asg=world["assignment"].pk,
    )
    data = dict(POST_DATA.get(name, {}))
    if name == "web:evidence-upload":
        data["file"] = upload("moi.pdf", PDF_BYTES)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == expected[persona], (name, persona)
    if (
        expected[persona] == 302
        and persona == "anonymous"
        and name not in ("web:home", "logout", "login", "set_language")
    ):
        assert response["Location"].startswith("/accounts/login/")


def test_evidence_download_is_an_attachment_that_is_never_sniffed(client, world):
    client.force_login(world["users"]["officer_a"])
    response = client.get(f"{A}evidence/{world['evidence'].pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="bc.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_admin_is_for_administrators_only(client, world):
    assert client.get("/admin/").status_code == 302
    client.force_login(world["users"]["leader"])
    assert client.get("/admin/").status_code == 302
    client.force_login(world["users"]["admin"])
    world["users"]["admin"].is_staff = True
    world["users"]["admin"].save()
    assert client.get("/admin/").status_code == 200
