"""Searching a unit by name or code: diacritics, "đ" and case never hide it."""

import pytest

from parindex.core.models import Assessment, Period, UnitResult
from parindex.web.filters import LeagueFilter, QueueFilter
from tests.builders import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def league_names(q):
    results = UnitResult.objects.current_for(Period.objects.get(year=2022)).with_names()
    return sorted(LeagueFilter({"q": q}, queryset=results).qs.values_list("unit__name", flat=True))


@pytest.mark.parametrize(
    "q, names",
    [
        ("tu phap", ["Sở Tư pháp"]),
        ("TƯ PHÁP", ["Sở Tư pháp"]),
        ("so   tu phap ", ["Sở Tư pháp"]),
        ("thu duc", ["UBND thành phố Thủ Đức"]),  # "Đ" folds to "d"
        ("THỦ ĐỨC", ["UBND thành phố Thủ Đức"]),
        ("binh tan", ["UBND quận Bình Tân"]),
        ("quan 5", ["UBND Quận 5"]),
        ("xuc tien", ["Trung tâm Xúc tiến Thương mại và Đầu tư"]),
        ("KH&ĐT", ["Sở Kế hoạch và Đầu tư"]),  # the short name finds it too
        ("stp", ["Sở Tư pháp"]),  # the code, whole and in any case
        ("st", []),  # a code is never matched by a part of it
        ("   ", None),  # nothing typed: every row
    ],
)
def test_league_search_ignores_diacritics_case_and_spaces(demo, q, names):
    found = league_names(q)
    if names is None:
        assert len(found) == UnitResult.objects.current_for(Period.objects.get(year=2022)).count()
    else:
        assert found == names


def test_league_search_finds_a_unit_by_the_name_it_was_published_under(demo):
    row = UnitResult.objects.current_for(Period.objects.get(year=2022)).get(unit__code="STP")
    row.unit.name = "Sở Tư pháp Thành phố"
    row.unit.save()
    assert league_names("tu phap thanh pho") == ["Sở Tư pháp Thành phố"]
    assert league_names("so tu phap") == ["Sở Tư pháp Thành phố"]


def test_search_reads_the_names_in_one_query(demo, django_assert_num_queries):
    results = UnitResult.objects.current_for(Period.objects.get(year=2022))
    with django_assert_num_queries(2):  # the names and codes, then the rows found
        list(LeagueFilter({"q": "tu phap"}, queryset=results).qs)


def test_reviewers_queue_search_folds_names_the_same_way(demo):
    assessments = Assessment.objects.filter(period__year=2022)
    found = QueueFilter({"q": "tu phap"}, queryset=assessments).qs
    assert [a.unit.code for a in found] == ["STP"]
    assert [a.unit.code for a in QueueFilter({"q": "q5"}, queryset=assessments).qs] == ["Q5"]


def test_reviewers_queue_page_answers_a_search(demo, client):
    make_user("timkiem", "reviewer")
    client.login(username="timkiem", password=PASSWORD)
    response = client.get("/review/2022/", {"q": "tu phap"})
    assert response.status_code == 200
    assert "Sở Tư pháp" in response.content.decode()
    assert "Sở Nội vụ" not in response.content.decode()
