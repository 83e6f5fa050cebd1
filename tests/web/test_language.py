"""Vietnamese by default, English for partners: the browser or the footer's switch decides."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import Client
from django.utils import formats, translation

from parindex.core.models import Notification, NotificationKind, Period
from parindex.core.services.notifications import email_for, notice
from parindex.core.services.results import finalise_period, publish_results
from parindex.web.templatetags.scores import count, score
from tests.builders import assess, full_scores, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def html_lang(response) -> str:
    text = response.content.decode()
    start = text.index("<html lang=")
    return text[start : text.index(">", start)]


def test_pages_are_vietnamese_without_a_cookie_or_a_browser_preference(client):
    response = client.get(LOGIN)
    assert html_lang(response) == '<html lang="vi"'


def test_a_browser_asking_for_english_gets_english(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(response) == '<html lang="en"'


def test_a_browser_asking_for_a_language_we_do_not_have_gets_vietnamese(client):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert html_lang(response) == '<html lang="vi"'


def footer(response) -> str:
    text = response.content.decode()
    return text[text.index("<footer>") : text.index("</footer>")]


def test_the_footer_has_a_language_switch_posting_to_set_language(client):
    shown = footer(client.get(LOGIN))
    assert 'action="/i18n/setlang/"' in shown
    assert 'name="language" value="en"' in shown
    assert f'name="next" value="{LOGIN}"' in shown
    # Anonymous published pages are stored and shared: they carry no CSRF token.
    assert "csrfmiddlewaretoken" not in shown


def test_a_signed_in_persons_switch_carries_a_csrf_token_and_needs_it():
    user = make_user("lanhdao", "leader")
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(user)
    assert 'name="csrfmiddlewaretoken"' in footer(checked.get("/accounts/password/"))
    refused = checked.post("/i18n/setlang/", {"language": "en", "next": "/accounts/password/"})
    assert refused.status_code == 403
    token = checked.cookies[settings.CSRF_COOKIE_NAME].value
    sent = {"language": "en", "next": "/accounts/password/", "csrfmiddlewaretoken": token}
    assert checked.post("/i18n/setlang/", sent).status_code == 302


def test_an_anonymous_visitor_switches_without_a_token():
    checked = Client(enforce_csrf_checks=True)
    response = checked.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert checked.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_stored_published_page_is_kept_once_per_language(client):
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ")
    vietnamese = client.get("/rankings/2023/SO/")
    english = client.get("/rankings/2023/SO/", HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(vietnamese) == '<html lang="vi"'
    assert html_lang(english) == '<html lang="en"'
    assert html_lang(client.get("/rankings/2023/SO/")) == '<html lang="vi"'


def test_the_switch_sets_english_and_goes_back_to_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get(LOGIN)) == '<html lang="en"'


def test_the_switch_back_to_vietnamese_wins_over_an_english_browser(client):
    client.post("/i18n/setlang/", {"language": "vi", "next": LOGIN})
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    assert html_lang(response) == '<html lang="vi"'


def test_error_pages_say_their_language_too(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert html_lang(response) == '<html lang="en"'


@pytest.mark.parametrize(
    ("language", "expected"),
    [("vi", "3 321"), ("en", "3,321")],
)
def test_counts_are_grouped_the_way_the_language_groups_them(language, expected):
    with translation.override(language):
        assert count(3321) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_scores_keep_a_decimal_point_and_two_decimals_in_every_language(language):
    with translation.override(language):
        assert score(Decimal("97.565")) == "97.57"
        assert score(Decimal("1234.5")) == "1234.50"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_are_day_first_in_every_language(language):
    with translation.override(language):
        assert formats.date_format(datetime.date(2025, 4, 3)) == "03/04/2025"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"


def test_a_notification_is_stored_in_vietnamese_even_when_its_sender_reads_english():
    period = make_period(2023)
    assessment = assess(period, make_unit("A"), full_scores(60, 30))
    with translation.override("en"):
        stored = notice(NotificationKind.SUBMITTED, assessment)
    assert "đã nộp bản tự đánh giá năm 2023" in stored["title"]
    user = make_user("canbo", "officer", assessment.unit)
    row = Notification.objects.create(user=user, **stored)
    with translation.override("en"):
        mail = email_for(row)
    assert mail.subject.startswith("[Chỉ số CCHC]")
    assert "Xem chi tiết" in mail.body


def test_an_exported_league_table_stays_in_vietnamese_for_an_english_reader(client):
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    finalise_period(period)
    publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/rankings/2023/SO/", {"q": "A", "sort": "-index"})
    assert html_lang(page) == '<html lang="en"'
    exported = client.get("/rankings/2023/SO/", {"export": "csv", "q": "A", "sort": "-index"})
    text = exported.content.decode("utf-8-sig")
    assert "Hạng,Mã đơn vị,Đơn vị" in text
    assert "Đã lọc: Tên hoặc mã đơn vị “A”; sắp xếp theo Chỉ số (%) giảm dần" in text


@pytest.mark.parametrize(("language", "separator"), [("vi", " "), ("en", ",")])
def test_the_pager_groups_its_counts_the_way_the_language_does(rf, language, separator):
    class Table:
        paginator = Paginator(range(1200), 25)
        page = paginator.page(48)
        prefixed_page_field = "page"
        prefixed_per_page_field = "per_page"

    with translation.override(language):
        html = render_to_string("includes/_pager.html", {"table": Table()}, request=rf.get("/"))
    # rows 1176–1200 of 1200
    assert f"1{separator}176" in html and f"1{separator}200" in html
    assert "1176" not in html
