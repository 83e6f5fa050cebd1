"""Loading criteria sets: the tree rules, idempotency, the shipped fixture."""

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from parindex.core.models import AuditEntry, CriteriaSet, Criterion, Method
from parindex.core.services import WorkflowError
from parindex.core.services.criteria import (
    export_criteria_set,
    load_criteria_set,
    validate_criteria_data,
)
from tests.builders import make_period, refused, small_criteria_data

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "criteria" / "hanoi-8-noi-dung.json"


def test_valid_small_set_has_no_errors():
    assert validate_criteria_data(small_criteria_data()) == []


def broken(mutate):
    data = copy.deepcopy(small_criteria_data())
    mutate(data)
    return validate_criteria_data(data)


@pytest.mark.parametrize(
    "mutate, expected_fragment",
    [
        (lambda d: d["nodes"][0].update(max="61"), "khác tổng các tiêu chí con"),
        (lambda d: d["nodes"][0]["children"][0].update(code="1.x"), "không đúng dạng"),
        (lambda d: d["nodes"][0]["children"][0].update(code="2.1"), "không thuộc tiêu chí cha"),
        (
            lambda d: d["nodes"][1]["children"][0].update(
                code="1.1",
            ),
            "bị trùng",
        ),
        (lambda d: d["nodes"][0]["children"][0].update(method="guess"), "không hợp lệ"),
        (lambda d: d["nodes"][0].update(method="self"), "không có phương thức chấm"),
        (
            lambda d: d["nodes"][0]["children"][0]["choices"].append(
                {"label": "Quá", "points": "25"}
            ),
            "ngoài 0–20",
        ),
        (lambda d: d["nodes"][0]["children"][0].update(max="abc"), "điểm tối đa không hợp lệ"),
        (lambda d: d.update(scale="90"), "khác thang điểm"),
        (lambda d: d.update(name=""), "Thiếu tên"),
        (
            lambda d: d["nodes"][0]["children"][0]["choices"].append(
                {"label": "Có kế hoạch; đúng hạn", "points": "1"}
            ),
            "không được chứa dấu “;”",
        ),
    ],
)
def test_invalid_trees_are_refused_with_a_vietnamese_reason(mutate, expected_fragment):
    errors = broken(mutate)
    assert any(expected_fragment in e for e in errors), errors


@pytest.mark.django_db
def test_load_builds_the_tree_with_areas_depths_and_choices():
    criteria_set, changed = load_criteria_set(small_criteria_data())
    assert changed
    leaf = Criterion.objects.get(criteria_set=criteria_set, code="1.2.2")
    assert (leaf.depth, leaf.parent.code, leaf.area.code) == (3, "1.2", "1")
    area = Criterion.objects.get(criteria_set=criteria_set, code="1")
    assert area.area_id == area.pk
    choice_leaf = Criterion.objects.get(criteria_set=criteria_set, code="1.1")
    assert choice_leaf.option_points() == [
        ("20 điểm", Decimal("20")),
        ("10 điểm", Decimal("10")),
        ("0 điểm", Decimal("0")),
    ]
    assert AuditEntry.objects.filter(action="criteria_set.created").count() == 1


@pytest.mark.django_db
def test_loading_the_same_set_twice_changes_nothing():
    first, _ = load_criteria_set(small_criteria_data())
    ids = list(first.criteria.values_list("id", flat=True))
    again, changed = load_criteria_set(small_criteria_data())
    assert (again.pk, changed) == (first.pk, False)
    assert list(again.criteria.values_list("id", flat=True)) == ids


@pytest.mark.django_db
def test_a_set_used_by_a_period_is_never_rewritten():
    criteria_set, _ = load_criteria_set(small_criteria_data())
    make_period(criteria_set=criteria_set)
    changed = small_criteria_data()
    changed["nodes"][0]["children"][0]["title"] = "Đổi nội dung"
    with refused(WorkflowError, match="phiên bản mới"):
        load_criteria_set(changed)


@pytest.mark.django_db
def test_an_invalid_set_is_refused_and_nothing_is_saved():
    data = small_criteria_data()
    data["nodes"][0]["max"] = "61"
    with refused(WorkflowError) as caught:
        load_criteria_set(data)
    assert "khác tổng" in str(caught.value)
    assert CriteriaSet.objects.count() == 0


@pytest.mark.django_db
def test_export_then_load_is_a_no_op():
    criteria_set, _ = load_criteria_set(small_criteria_data())
    _same, changed = load_criteria_set(export_criteria_set(criteria_set))
    assert not changed


@pytest.mark.django_db
def test_hanoi_fixture_is_a_100_point_set_with_30_survey_points_and_capped_adjustments():
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert validate_criteria_data(data) == []
    criteria_set, _ = load_criteria_set(data)
    leaves = Criterion.objects.filter(criteria_set=criteria_set).leaves()
    total = {m: sum(c.max_points for c in leaves if c.method == m) for m in Method}
    assert total[Method.SELF] + total[Method.SURVEY] == Decimal("100")
    assert total[Method.SURVEY] == Decimal("30")
    assert total[Method.BONUS] == criteria_set.bonus_cap
    assert total[Method.DEDUCTION] == criteria_set.deduction_cap
    areas = Criterion.objects.filter(criteria_set=criteria_set).scored_areas()
    assert [a.code for a in areas] == [str(n) for n in range(1, 9)]
    assert "không phải nội dung chính thức" in criteria_set.description


@pytest.mark.django_db
def test_commune_fixture_is_a_100_point_set_that_says_what_it_models():
    data = json.loads((FIXTURE.parent / "xa-phuong-2025.json").read_text(encoding="utf-8"))
    assert validate_criteria_data(data) == []
    criteria_set, _ = load_criteria_set(data)
    leaves = Criterion.objects.filter(criteria_set=criteria_set).leaves()
    total = {m: sum(c.max_points for c in leaves if c.method == m) for m in Method}
    assert total[Method.SELF] + total[Method.SURVEY] == Decimal("100")
    assert total[Method.SURVEY] > 0
    assert "892/QĐ-BNV" in criteria_set.description and "2211/QĐ-UBND" in criteria_set.description
