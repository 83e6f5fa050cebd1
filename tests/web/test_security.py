"""Deployable settings, CSP, login throttling, security log, error pages, audit, frozen results."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client

from parindex.core.models import AuditEntry, ResultSet, UnitResult
from parindex.core.models.audit import AuditImmutable
from parindex.core.models.results import PublishedResultError
from tests.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_deploy_check_reports_nothing_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 30 + "-production-secret-key-" + "y" * 30,
        "ALLOWED_HOSTS": "cchc.example.gov.vn",
        "HTTPS": "1",
        "DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of this process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_pages_carry_a_csp_without_inline_scripts_and_use_none(demo, client):
    response = client.get("/rankings/2022/SO/")
    policy = response["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script.strip() == "'self'" and "unsafe" not in script
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "url",
    [
        "/rankings/2022/",
        "/rankings/2022/SO/",
        "/assessments/{year}/STP/",
        "/assessments/{year}/STP/appraise/",
        "/review/{year}/",
        "/accounts/login/",
    ],
)
def test_no_page_has_an_inline_script(demo, client, url):
    from parindex.core import clock
    from parindex.core.models import User

    client.force_login(User.objects.get(username="thamdinh"))
    html = client.get(url.format(year=clock.today().year)).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    make_user("lanhdao", "leader")
    make_user("khac", "leader")


def login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_failures_from_five_addresses_never_lock_the_owner_out(client, throttled):
    for n in range(5):
        assert login(client, "lanhdao", "sai-mat-khau", ip=f"10.0.1.{n}").status_code == 200
    assert login(client, "lanhdao", PASSWORD, ip="10.0.0.9").status_code == 302


def test_five_failures_from_one_address_lock_that_username_there_only(client, throttled):
    for _ in range(5):
        login(client, "lanhdao", "sai-mat-khau", ip="10.0.0.1")
    response = login(client, "lanhdao", PASSWORD, ip="10.0.0.1")
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert login(client, "khac", PASSWORD, ip="10.0.0.1").status_code == 302
    assert login(client, "lanhdao", PASSWORD, ip="10.0.0.9").status_code == 302


def test_many_failures_with_many_usernames_from_one_address_lock_the_address(client, throttled):
    for n in range(7):
        assert login(client, f"doan-{n}", "sai", ip="10.0.0.2").status_code == 200
    assert login(client, "doan-7", "sai", ip="10.0.0.2").status_code == 429  # the eighth
    assert login(client, "khac", PASSWORD, ip="10.0.0.2").status_code == 429
    assert login(client, "khac", PASSWORD, ip="10.0.0.3").status_code == 302


def test_logging_in_to_ones_own_account_does_not_reset_the_address_count(client, throttled):
    for n in range(7):
        login(client, f"doan-{n}", "sai", ip="10.0.0.2")
    assert login(client, "khac", PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    login(client, "doan-7", "sai", ip="10.0.0.2")
    assert login(client, "khac", PASSWORD, ip="10.0.0.2").status_code == 429


def test_logins_logouts_failures_and_refusals_are_logged(client, caplog, settings):
    settings.AXES_ENABLED = False
    make_user("lanhdao", "leader")
    officer = make_user("canbo.b", "officer")
    with caplog.at_level("INFO", logger="parindex.security"):
        client.post("/accounts/login/", {"username": "lanhdao", "password": "sai"})
        client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD})
        client.post("/accounts/logout/")
        client.force_login(officer)
        client.get("/review/")
    text = caplog.text
    assert "failed login user=lanhdao" in text
    assert "login user=lanhdao" in text and "logout user=lanhdao" in text
    assert "refused access user=canbo.b path=/review/" in text


def test_error_pages_are_vietnamese_with_the_logged_reference(client, caplog):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and response["X-Request-ID"] in html


def test_a_form_without_its_csrf_token_gets_the_vietnamese_page_with_a_reference(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level("WARNING", logger="parindex.security"):
        response = client.post("/accounts/login/", {"username": "lanhdao", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in html and response["X-Request-ID"] in html
    assert "CSRF verification failed" not in html
    assert "csrf refused user=- path=/accounts/login/" in caplog.text


@pytest.mark.parametrize(
    "error, status, text",
    [
        (RuntimeError("boom"), 500, "Hệ thống gặp lỗi"),
        (OperationalError("could not connect to server"), 503, "không kết nối được cơ sở dữ liệu"),
    ],
)
def test_server_errors_show_no_trace_and_name_their_reference(
    monkeypatch, caplog, error, status, text
):
    from parindex.core.models.periods import PeriodQuerySet

    def broken(periods, user):
        raise error

    monkeypatch.setattr(PeriodQuerySet, "visible_to", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level("ERROR"):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == status
    assert text in html and "Traceback" not in html and "boom" not in html
    assert response["X-Request-ID"] in html
    assert f"[{response['X-Request-ID']}]" in caplog.text or response["X-Request-ID"] in str(
        [getattr(r, "request_id", "") for r in caplog.records]
    )


def test_audit_rows_cannot_be_changed_or_deleted():
    entry = AuditEntry.objects.create(created_at="2026-01-01T00:00:00Z", action="x.tested")
    entry.message = "sửa"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(message="sửa")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.all().delete()


def test_published_snapshots_cannot_be_updated_except_by_a_correction(demo):
    result = UnitResult.objects.filter(result_set__published=True).first()
    result.index = 100
    with pytest.raises(PublishedResultError):
        result.save()
    with pytest.raises(PublishedResultError):
        UnitResult.objects.filter(pk=result.pk).update(index=100)
    with pytest.raises(PublishedResultError):
        UnitResult.objects.filter(pk=result.pk).delete()
    result_set = result.result_set
    result_set.decision_number = "đổi"
    with pytest.raises(PublishedResultError):
        result_set.save()
    with pytest.raises(PublishedResultError):
        ResultSet.objects.filter(pk=result_set.pk).delete()
    from parindex.core.models import AreaResult

    with pytest.raises(PublishedResultError):
        AreaResult.objects.filter(unit_result=result).update(points=0)


def test_audit_trail_command_prints_who_what_when(capsys):
    from datetime import timedelta

    from parindex.core import clock
    from parindex.core.services.assessments import save_self_score
    from tests.builders import assess, leaf_of, make_unit, open_period

    period = open_period(2023)
    unit = make_unit("A")
    officer = make_user("canbo", "officer", unit)
    a = assess(period, unit, status="draft")
    save_self_score(a, leaf_of(period, "1.2.1"), by=officer, points_text="12", note="", revision=0)
    assert clock.today() < period.self_assessment_deadline + timedelta(days=1)
    call_command("audittrail", "2023", "A")
    out = capsys.readouterr().out
    assert "canbo" in out and "score.changed" in out and '"self_points": [null, "12"]' in out
    assert "1 dòng nhật ký — Đơn vị A, năm 2023." in out


@pytest.mark.django_db
def test_a_logout_ends_the_cached_session_for_every_copy_of_its_cookie(client):
    """Sessions are read from a cache: logging out must take them out of it, not only out of
    the database, or a copied cookie would stay logged in."""
    from django.conf import settings

    make_user("pheduyet", "approver")
    client.login(username="pheduyet", password=PASSWORD)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert copy.get("/todo/").status_code == 200
    client.post("/accounts/logout/")
    assert "/login" in copy.get("/todo/")["Location"]
    assert settings.SESSION_ENGINE.endswith("cached_db")
