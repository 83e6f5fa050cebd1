"""Vietnamese by default, English for partners: the browser or the footer's switch decides."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import formats, translation

from parindex.web.templatetags.scores import count, score

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


def test_the_footer_has_a_language_switch_posting_to_set_language_with_a_csrf_token(client):
    text = client.get(LOGIN).content.decode()
    footer = text[text.index("<footer>") : text.index("</footer>")]
    assert 'action="/i18n/setlang/"' in footer
    assert 'name="csrfmiddlewaretoken"' in footer
    assert 'name="language" value="en"' in footer
    assert f'name="next" value="{LOGIN}"' in footer


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
