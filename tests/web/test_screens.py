"""What every screen shows whoever reads it: errors at the field, the province in the header,
badges readable on their band's colour, unit searches that ignore diacritics."""

import json

import pytest
from django.test import override_settings

from parindex.core.models import Evidence
from parindex.web.colours import band_colours, contrast
from parindex.web.templatetags.scores import grade_badge
from tests.builders import (
    PDF_BYTES,
    draft_officer,
    upload,
)

pytestmark = pytest.mark.django_db
URL = "/assessments/2023/A/"


@pytest.fixture
def officer(client):
    return draft_officer(client)


def test_a_refused_upload_without_script_comes_back_at_the_leafs_upload_field(client, officer):
    response = client.post(URL + "leaf/1.2.1/evidence/", {"file": upload("x.exe", b"MZ\x90\x00")})
    html = response.content.decode()
    assert response.status_code == 400
    leaf = html[html.index('id="leaf-1.2.1"') :]
    leaf = leaf[: leaf.index("</article>")]
    error = leaf[leaf.index('id="evidence-err-1.2.1"') :]
    assert error.split(">", 1)[1].split("</p>", 1)[0].strip()  # the message, at the field
    assert 'aria-describedby="evidence-err-1.2.1" required autofocus' in leaf
    assert '<ul class="messages">' not in html  # not atop the page
    assert not Evidence.objects.exists()


def test_an_upload_without_a_file_is_refused_at_the_leaf_too(client, officer):
    response = client.post(URL + "leaf/1.1/evidence/", {"citation": "tr. 2"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="evidence-err-1.1" role="alert">Chưa chọn tệp để tải lên.</p>' in html


def test_a_refused_upload_by_script_answers_400_with_the_message(client, officer):
    response = client.post(
        URL + "leaf/1.1/evidence/",
        {"file": upload("x.exe", b"MZ\x90\x00")},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert response.status_code == 400
    assert json.loads(response.content)["ok"] is False


def test_a_stored_upload_by_script_names_the_leaf_to_go_back_to(client, officer):
    response = client.post(
        URL + "leaf/1.1/evidence/",
        {"file": upload("bc.pdf", PDF_BYTES)},
        HTTP_X_REQUESTED_WITH="fetch",
    )
    assert json.loads(response.content) == {"ok": True, "url": URL + "#leaf-1.1"}
    assert Evidence.objects.count() == 1


def test_every_per_leaf_form_is_sent_to_its_leafs_anchor(client, officer):
    html = client.get(URL).content.decode()
    assert f'action="{URL}leaf/1.2.1/#leaf-1.2.1"' in html
    assert f'action="{URL}leaf/1.2.1/evidence/#leaf-1.2.1"' in html


@override_settings(PROVINCE_SHORT_NAME="Tỉnh Thử", PROVINCE_EMBLEM="img/emblem.svg")
def test_the_header_names_the_province_of_the_settings_with_its_emblem(client, officer):
    html = client.get(URL).content.decode()
    header = html[html.index('<header class="topbar"') : html.index("</header>")]
    assert '<span class="brand-name">Tỉnh Thử</span>' in header
    assert "/static/img/emblem" in header and "parindex" not in header


def test_the_header_menu_is_one_button_for_any_number_of_links(client, officer):
    html = client.get(URL).content.decode()
    assert 'class="menu-toggle" aria-expanded="false" aria-controls="site-nav" hidden' in html
    assert '<nav id="site-nav"' in html
    assert "js/menu.js" in html and "<script>" not in html  # the CSP forbids inline code


@pytest.mark.parametrize(
    "colour",
    ["#d4a017", "#4c9a2a", "#e07b24", "#1a7f37", "#777777", "#ffffff", "#000000", "#0b5cad"],
)
def test_a_badge_text_reads_at_least_4_5_to_1_on_its_band_colour(colour):
    background, ink = band_colours(colour)
    assert contrast(background, ink) >= 4.5


def test_the_khá_yellow_badge_gets_dark_text():
    assert 'style="--band: #d4a017; --band-ink: #000000">Khá</span>' in grade_badge(
        "Khá", "#d4a017"
    )


def test_a_badge_with_a_colour_that_is_not_hex_gets_the_grey_of_no_colour():
    assert "--band: #777777;" in grade_badge("Tốt", "red;background:url(x)")


def test_the_trends_picker_lists_units_as_checkboxes_searchable_without_diacritics(demo, client):
    html = client.get("/trends/", {"units": "STP"}).content.decode()
    assert '<select name="units"' not in html
    assert (
        'data-search="stp so tu phap"><input type="checkbox" name="units" value="STP" checked>'
        in html
    )
    assert "js/search.js" in html


@override_settings(PROVINCE_NAME="Ủy ban nhân dân tỉnh Thử")
def test_the_league_csv_names_the_province_of_the_settings(demo, client):
    response = client.get("/rankings/2022/SO/", {"export": "csv", "grade": ""})
    assert response.content.decode("utf-8-sig").splitlines()[0] == "ỦY BAN NHÂN DÂN TỈNH THỬ"


def test_a_refused_save_without_script_focuses_the_field_of_its_leaf_only(client, officer):
    response = client.post(URL + "leaf/1.2.1/", {"points": "999", "note": "", "revision": 0})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count(" autofocus") == 1
    leaf = html[html.index('id="leaf-1.2.1"') :]
    assert 'aria-describedby="err-1.2.1" autofocus>' in leaf[: leaf.index("</article>")]


def test_the_entry_page_offers_a_criteria_search_over_folded_codes_and_titles(client, officer):
    html = client.get(URL).content.decode()
    assert '<p class="leaf-search" data-leaf-search' in html and "js/search.js" in html
    assert 'id="leaf-1.2.1" data-search="1.2.1 ' in html
