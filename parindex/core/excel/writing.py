"""Writing workbooks: the period interchange workbook, a unit's scorecard,
and empty import templates. Large sheets use openpyxl's write-only mode."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.styles import Border, Font, PatternFill, Side

from parindex.core.excel import sheets
from parindex.core.excel.criteria_sheet import choices_text
from parindex.core.excel.safe import append_row, append_rows
from parindex.core.excel.team_sheet import TEAM, team_rows
from parindex.core.lineage import lineage_text
from parindex.core.models import (
    Adjustment,
    Assessment,
    Criterion,
    GradeBand,
    Lineage,
    PeriodGroup,
    ScoreEntry,
    Unit,
)
from parindex.core.text import day_text
from parindex.scoring import round_score

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TWO_DECIMALS = "0.00"


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(value: Decimal | None):
    """Store a Decimal as a spreadsheet number without trailing zeros."""
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral() else normal


CRITERIA_HEADER = ["Mã", "Nội dung", "Điểm tối đa", "Phương thức", "Hướng dẫn chấm", "Lựa chọn"]
UNIT_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên viết tắt",
    "Khối",
    "Tên khối",
    "Xếp hạng",
    sheets.LINEAGE,
    sheets.VALID_FROM,
    sheets.VALID_TO,
]
# The period workbook's unit sheet also says which unit is left out of this period's ranking.
PERIOD_UNIT_HEADER = [*UNIT_HEADER[:6], sheets.UNRANKED, *UNIT_HEADER[6:]]
BAND_HEADER = ["Khối", "Xếp loại", "Từ", "Màu"]


def criteria_rows(criteria_set) -> list[list]:
    rows = [list(CRITERIA_HEADER)]
    for c in Criterion.objects.filter(criteria_set=criteria_set).order_by("position"):
        rows.append(
            [
                c.code,
                c.title,
                _number(c.max_points),
                sheets.METHOD_NAMES.get(c.method, ""),
                c.guidance or None,
                choices_text(c.options) if c.options else None,
            ]
        )
    return rows


def info_rows(year, criteria_set, per_group=None, tie_rule=None) -> list[list]:
    rows = [
        ["Mục", "Giá trị"],
        ["Năm", year],
        ["Bộ tiêu chí", criteria_set.name],
        ["Quyết định", criteria_set.decision_number or None],
        [
            "Ngày ban hành",
            day_text(criteria_set.decision_date) if criteria_set.decision_date else None,
        ],
        ["Thang điểm", _number(criteria_set.scale)],
        ["Điểm thưởng tối đa", _number(criteria_set.bonus_cap)],
        ["Điểm trừ tối đa", _number(criteria_set.deduction_cap)],
        ["Cho phép vượt điểm tối đa", sheets.YES if criteria_set.allow_over_max else sheets.NO],
        ["Mô tả", criteria_set.description or None],
    ]
    if tie_rule:
        rows.append([sheets.TIE_RULE, sheets.TIE_RULE_NAMES[tie_rule]])
    for group_code, group_set in (per_group or {}).items():
        rows.append([f"Bộ tiêu chí {group_code}", group_set.name])
        rows.append([f"Quyết định {group_code}", group_set.decision_number or None])
    return rows


def write_period(period) -> bytes:
    """Write the whole period in the interchange format (README "Sổ điểm Excel")."""
    workbook = Workbook(write_only=True)
    period_groups = list(
        PeriodGroup.objects.filter(period=period)
        .select_related("group", "criteria_set")
        .order_by("group__code")
    )
    sets = {pg.group.code: pg.criteria_set for pg in period_groups}
    single = len({cs.pk for cs in sets.values()}) <= 1
    first = next(iter(sets.values()))
    sheet = workbook.create_sheet(sheets.INFO)
    append_rows(sheet, info_rows(period.year, first, None if single else sets, period.tie_rule))
    if single:
        append_rows(workbook.create_sheet(sheets.CRITERIA), criteria_rows(first))
    else:
        for code, criteria_set in sets.items():
            append_rows(
                workbook.create_sheet(f"{sheets.CRITERIA} {code}"), criteria_rows(criteria_set)
            )
    assessments = list(
        Assessment.objects.filter(period=period)
        .select_related("unit__group")
        .order_by("unit__code")
    )
    ranked = {pg.group_id: pg.ranked for pg in period_groups}
    append_rows(workbook.create_sheet(sheets.UNITS), unit_rows(assessments, ranked))
    bands = workbook.create_sheet(sheets.BANDS)
    append_row(bands, BAND_HEADER)
    for band in (
        GradeBand.objects.filter(period=period)
        .select_related("group")
        .order_by("group__code", "-lower_bound")
    ):
        append_row(bands, [band.group.code, band.label, _number(band.lower_bound), band.color])
    values = _final_values(period)
    if single:
        append_rows(workbook.create_sheet(sheets.SCORES), score_rows(first, assessments, values))
    else:
        for code, criteria_set in sets.items():
            members = [a for a in assessments if a.unit.group.code == code]
            append_rows(
                workbook.create_sheet(f"{sheets.SCORES} {code}"),
                score_rows(criteria_set, members, values),
            )
    append_rows(workbook.create_sheet(TEAM), team_rows(period))
    return to_bytes(workbook)


def unit_rows(assessments, ranked: dict[int, bool]) -> list[list]:
    """The period's units and, so lineage can be re-imported, their direct predecessors.

    `Xếp hạng` says whether the unit's group is ranked in this period (``ranked``: group id →
    PeriodGroup.ranked); `Không xếp hạng` holds the reason a unit is left out of it.
    """
    units = {a.unit.pk: a.unit for a in assessments}
    reasons = {a.unit.pk: a.unranked_reason for a in assessments}
    earlier = list(
        Unit.objects.filter(successors__in=units.values())
        .exclude(pk__in=units)
        .select_related("group")
        .distinct()
    )
    # Every row carries its own lineage, predecessors' rows too: a row is the truth on import.
    lineage = defaultdict(list)
    for successor, predecessor, share in Lineage.objects.filter(
        successor_id__in=[*units, *(u.pk for u in earlier)]
    ).values_list("successor_id", "predecessor__code", "share"):
        lineage[successor].append((predecessor, share))
    rows = [list(PERIOD_UNIT_HEADER)]
    for unit in sorted([*units.values(), *earlier], key=lambda u: u.code):
        rows.append(
            [
                unit.code,
                unit.name,
                unit.short_name or None,
                unit.group.code,
                unit.group.name,
                sheets.YES if ranked.get(unit.group_id, unit.group.ranked) else sheets.NO,
                reasons.get(unit.pk) or None,
                lineage_text(lineage.get(unit.pk, [])) or None,
                day_text(unit.valid_from) if unit.valid_from else None,
                day_text(unit.valid_to) if unit.valid_to else None,
            ]
        )
    return rows


def _final_values(period) -> dict[tuple[int, int], object]:
    """(assessment id, leaf id) → final points, "KAD", or approved adjustment total."""
    values = {}
    for row in (
        ScoreEntry.objects.for_period(period)
        .with_final_points()
        .values("assessment_id", "criterion_id", "final", "not_applicable")
    ):
        value = sheets.NOT_APPLICABLE if row["not_applicable"] else row["final"]
        values[(row["assessment_id"], row["criterion_id"])] = value
    for row in (
        Adjustment.objects.for_period(period)
        .approved()
        .values("assessment_id", "category_id")
        .annotate(total=Sum("amount"))
    ):
        values[(row["assessment_id"], row["category_id"])] = row["total"]
    return values


def score_rows(criteria_set, assessments, values) -> list[list]:
    leaves = list(Criterion.objects.filter(criteria_set=criteria_set).leaves().order_by("position"))
    rows = [["Mã đơn vị", *[leaf.code for leaf in leaves]]]
    for a in assessments:
        row = [a.unit.code]
        for leaf in leaves:
            value = values.get((a.pk, leaf.pk))
            row.append(value if value == sheets.NOT_APPLICABLE else _number(value))
        rows.append(row)
    return rows


def as_number(value):
    """Rounded once, half-up, as published; stored as a number shown with 2 decimals."""
    return None if value is None else float(round_score(Decimal(value)))


def write_scorecard(assessment, *, with_appraisal: bool) -> bytes:
    """Write one unit's scorecard: every leaf with max, self, appraised and final points."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phiếu điểm"
    # The province over the unit, as on its official annexes (settings.PROVINCE_NAME).
    append_row(sheet, [settings.PROVINCE_NAME])
    append_row(sheet, [f"{assessment.unit.name} — Chỉ số CCHC năm {assessment.period.year}"])
    sheet["A1"].font = Font(bold=True, size=11)
    sheet["A2"].font = Font(bold=True, size=13)
    header = ["Mã", "Tiêu chí", "Phương thức", "Điểm tối đa", "Tự chấm", "Giải thích"]
    if with_appraisal:
        header += ["Thẩm định", "Điểm cuối cùng", "Lý do thẩm định", "Giải trình"]
    append_row(sheet, header)
    for cell in sheet[3]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    entries = {
        e.criterion_id: e
        for e in ScoreEntry.objects.filter(assessment=assessment).with_final_points(counted=True)
    }
    for c in Criterion.objects.for_assessment(assessment).order_by("position"):
        e = entries.get(c.pk)
        row = [
            c.code,
            c.title,
            sheets.METHOD_NAMES.get(c.method, ""),
            as_number(c.max_points),
            as_number(e.self_points) if e else None,
            e.self_note if e else None,
        ]
        if with_appraisal:
            final = None
            if e is not None:
                final = sheets.NOT_APPLICABLE if e.not_applicable else as_number(e.final)
            row += [
                as_number(e.appraised_points) if e else None,
                final,
                e.appraisal_note if e else None,
                e.explanation if e else None,
            ]
        append_row(sheet, row)
        if not c.method:
            for cell in sheet[sheet.max_row]:
                cell.font = HEADER_FONT
    for column, width in zip("ABCDEFGHIJ", (9, 60, 14, 11, 10, 40, 11, 13, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=4, min_col=4, max_col=8):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = TWO_DECIMALS
    sheet.freeze_panes = "C4"
    return to_bytes(workbook)


INFO_TEMPLATE = [
    ["Mục", "Giá trị"],
    ["Năm", None],
    ["Bộ tiêu chí", None],
    ["Quyết định", None],
    ["Ngày ban hành", "dd/mm/yyyy"],
]
TEMPLATES = {
    "period": {
        sheets.INFO: [*INFO_TEMPLATE, [sheets.TIE_RULE, sheets.TIE_RULE_NAMES["shared"]]],
        sheets.CRITERIA: [CRITERIA_HEADER],
        sheets.UNITS: [PERIOD_UNIT_HEADER],
        sheets.BANDS: [BAND_HEADER],
        sheets.SCORES: [["Mã đơn vị"]],
    },
    "criteria": {sheets.INFO: INFO_TEMPLATE, sheets.CRITERIA: [CRITERIA_HEADER]},
    "units": {sheets.UNITS: [UNIT_HEADER]},
}


def write_template(kind: str, *, survey_codes=()) -> bytes:
    """Write an empty import workbook of ``kind`` (period, criteria, units, survey)."""
    workbook = Workbook(write_only=True)
    layout = TEMPLATES.get(kind) or {sheets.SCORES: [["Mã đơn vị", *survey_codes]]}
    for name, rows in layout.items():
        append_rows(workbook.create_sheet(name), rows)
    return to_bytes(workbook)
