"""The demo as TP.HCM is after the 2025 reorganisation, as the public and staff see it."""

from parindex.core import clock
from parindex.core.models import Comparison, UnitResult
from tests.builders import make_user


def test_the_current_year_shows_the_post_merger_groups_and_no_district(demo, client):
    client.force_login(make_user("xem.lanhdao", "leader"))
    text = client.get(f"/rankings/{clock.today().year}/").content.decode()
    assert "Khối phường" in text and "Khối xã, đặc khu" in text
    assert "Khối UBND TP. Thủ Đức, quận, huyện" not in text
    assert "Quận 1" not in text


def test_ben_thanh_ward_names_its_four_predecessors_and_its_derived_comparison(demo, client):
    text = client.get("/units/BTHANH/").content.decode()
    for name in (
        "Phường Bến Thành, Quận 1",
        "Phường Phạm Ngũ Lão, Quận 1",
        "Phường Cầu Ông Lãnh, Quận 1",
        "Phường Nguyễn Thái Bình, Quận 1",
    ):
        assert name in text
    assert text.count("— toàn bộ") >= 2
    assert "một phần (30%)" in text and "một phần (80%)" in text
    assert "01/07/2025" in text
    assert "so với các đơn vị tiền thân" in text


def test_a_former_ward_says_which_new_wards_took_it_over(demo, client):
    text = client.get("/units/Q1-CONGLANH/").content.decode()
    assert "Một phần (30%) nhập vào" in text and "Phường Bến Thành" in text
    assert "Không còn hoạt động" in text


def test_a_unit_without_comparable_history_shows_new(demo, client):
    text = client.get("/rankings/2025/XA/").content.decode()
    assert "Đặc khu Côn Đảo" in text and "Mới thành lập" in text


def test_the_league_shows_a_rank_change_only_for_like_with_like(demo):
    rows = UnitResult.objects.filter(result_set__period__year=2025, result_set__is_current=True)
    assert rows.filter(comparison=Comparison.DERIVED).exclude(previous_rank=None).count() == 0
    assert rows.filter(unit__code="STP", comparison=Comparison.SAME).exclude(previous_rank=None)


def test_the_profile_chart_never_joins_the_group_averages_across_the_reorganisation(demo, client):
    from tests.web.test_dashboards import figures

    traces = figures(client.get("/units/BTHANH/"))["years"]["data"]
    averages = {t["name"]: t["x"] for t in traces if t["name"].startswith("Trung bình khối")}
    assert averages == {
        "Trung bình khối (đơn vị tiền thân)": ["2024"],
        "Trung bình khối": ["2025"],
    }
