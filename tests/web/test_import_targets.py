"""The survey import's year and group come from the request: anything else than a known year
and group is a message or a 404, never a server error. Texts too long for their field are
problems of the preview, never a failure at the confirmation."""

import pytest

from parindex.core.models import Unit
from tests.builders import job_page, make_user, upload, written_state
from tests.core.test_excel import UNITS, book
from tests.core.test_import_survey import build_survey_world, survey_file

pytestmark = pytest.mark.django_db

NO_TARGET = "Chọn năm và khối cho kết quả điều tra."


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("quantri", "admin"))
    return client


@pytest.fixture
def survey_world():
    return build_survey_world()


@pytest.mark.parametrize(
    "year, group", [("abc", "SO"), ("", "SO"), ("99999999999999999999", "SO"), ("2023", "ZZ")]
)
def test_a_survey_upload_for_no_known_year_and_group_asks_for_them(
    survey_world, admin_client, year, group
):
    before = written_state()
    file = upload("dieu-tra.xlsx", survey_file([["A", 20]]).getvalue())
    response = admin_client.post("/imports/survey/", {"file": file, "year": year, "group": group})
    assert response.status_code == 400
    assert NO_TARGET in response.content.decode()
    assert written_state() == before


@pytest.mark.parametrize("query", ["year=abc&group=SO", "year=2023&group=ZZ", "group=SO", ""])
def test_the_survey_template_of_no_known_year_and_group_is_not_found(
    survey_world, admin_client, query
):
    assert admin_client.get(f"/imports/survey/template.xlsx?{query}").status_code == 404


def test_the_survey_template_of_a_known_year_and_group_downloads(survey_world, admin_client):
    response = admin_client.get("/imports/survey/template.xlsx?year=2023&group=SO")
    assert response.status_code == 200


def test_a_survey_confirmation_naming_no_known_year_says_so(survey_world, admin_client):
    file = upload("dieu-tra.xlsx", survey_file([["A", 20]]).getvalue())
    token = (
        job_page(
            admin_client,
            admin_client.post("/imports/survey/", {"file": file, "year": "2023", "group": "SO"}),
        )
        .context["job"]
        .params["token"]
    )
    before = written_state()
    response = admin_client.post(
        "/imports/survey/confirm/", {"token": token, "year": "abc", "group": "SO"}, follow=True
    )
    assert NO_TARGET in response.content.decode()
    assert written_state() == before


def test_a_unit_name_too_long_for_its_field_is_a_problem_of_the_preview(admin_client):
    name = "x" * (Unit._meta.get_field("name").max_length + 1)
    rows = [UNITS[0], ["A", name, None, "SO", "Khối sở", "Có", None]]
    response = job_page(
        admin_client,
        admin_client.post(
            "/imports/units/", {"file": upload("don-vi.xlsx", book({"Đơn vị": rows}).getvalue())}
        ),
    )
    html = response.content.decode()
    assert response.context["job"].status == "failed"
    assert "<td>B2</td>" in html and "“Tên đơn vị” dài 256 ký tự, vượt giới hạn 255 ký tự." in html
    assert not Unit.objects.exists()
