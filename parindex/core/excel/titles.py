"""What an exported league table says about itself: the title lines and the rank cells.

The official annex (xlsx) and the CSV download share these lines, so the two never disagree:
official (the group's publication decision, the version when corrected) or provisional (when
computed), the tie rule or why the group is not ranked, and, when the reader filtered or sorted
the table, which filter and sort — the ranks stay the ranks in the whole group, never renumbered.

Pure: reads only the objects it is given, no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from parindex.core.text import day_text

OFFICIAL = "Kết quả chính thức"
PROVISIONAL = "Kết quả tạm tính, chưa công bố"
NO_RESULTS = "Chưa có kết quả tính cho khối này"
NOT_RANKED = "Không xếp hạng"
KEPT_RANKS = "Hạng là hạng trong toàn khối (không đánh số lại)"


@dataclass(frozen=True)
class Selection:
    """What the reader narrowed or reordered: one "label “value”" per active filter, and the
    sort in words ("Chỉ số (%) tăng dần"); empty when the table is shown as published."""

    filters: tuple[str, ...] = ()
    sort: str = ""

    def __bool__(self) -> bool:
        return bool(self.filters or self.sort)


def heading_lines(period, group_name: str, province: str) -> list[str]:
    """The three heading lines of an annex: province, title with the year, the group's name
    (as published: ``results.group_name_for``)."""
    return [
        province.upper(),
        f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {period.year}",
        group_name.upper(),
    ]


def _one_line(text) -> str:
    # A reason typed over several lines stays one title line (and one CSV row).
    return " ".join((text or "").split())


def publication_line(result_set) -> str:
    """Official (decision number and date) or provisional (when computed)."""
    if result_set is None:
        return NO_RESULTS
    if not result_set.published:
        computed = timezone.localtime(result_set.computed_at)
        return f"{PROVISIONAL} — tính lúc {computed:%H:%M} {day_text(computed)}"
    day = result_set.decision_date or (
        timezone.localdate(result_set.published_at) if result_set.published_at else None
    )
    if result_set.decision_number:
        decision = f"Quyết định số {result_set.decision_number}"
        return (
            f"{OFFICIAL} — {decision} ngày {day_text(day)}" if day else f"{OFFICIAL} — {decision}"
        )
    return f"{OFFICIAL} — công bố ngày {day_text(day)}" if day else OFFICIAL


def version_line(result_set) -> str:
    """Name the version of a correction, or of an earlier version replaced by one; else ""."""
    if result_set is None or not result_set.published:
        return ""
    if result_set.reason:
        line = f"Phiên bản {result_set.version} (đính chính: {_one_line(result_set.reason)})"
    elif not result_set.is_current:
        line = f"Phiên bản {result_set.version}"
    else:
        return ""
    if not result_set.is_current:
        line += " — đã được thay thế bằng phiên bản đính chính sau"
    return line


def is_ranked(period_group) -> bool:
    """True when the group's table carries ranks this period (``PeriodGroup.ranked``; the
    group's own flag is only the default for new periods)."""
    return period_group.ranked


def method_line(period, period_group) -> str:
    """The tie rule applied, or why the group's table has no ranks."""
    if not period_group.ranked:
        reason = _one_line(period_group.unranked_reason)
        return (
            f"Khối không xếp hạng kỳ này: {reason}"
            if reason
            else "Khối chỉ xếp loại, không xếp hạng"
        )
    return f"Xếp hạng khi bằng điểm: {period.get_tie_rule_display()}"


def selection_lines(selection: Selection | None, *, ranked: bool) -> list[str]:
    """The line "Đã lọc: …; sắp xếp theo …" and, in a ranked group, that ranks stay as stored."""
    if not selection:
        return []
    parts = []
    if selection.filters:
        parts.append("Đã lọc: " + "; ".join(selection.filters))
    if selection.sort:
        parts.append(("sắp xếp theo " if parts else "Sắp xếp theo ") + selection.sort)
    return ["; ".join(parts)] + ([KEPT_RANKS] if ranked else [])


def status_lines(period, period_group, result_set, selection: Selection | None = None) -> list[str]:
    """The lines under the heading: what the table is, how it ranks, what the reader chose."""
    lines = [publication_line(result_set), version_line(result_set)]
    lines.append(method_line(period, period_group))
    lines += selection_lines(selection, ranked=is_ranked(period_group))
    return [line for line in lines if line]


def rank_cell(result, *, ranked: bool):
    """The stored rank (never renumbered), "Không xếp hạng" for a unit left out of the
    ranking, or None (no rank: the group is not ranked, or the unit did not submit)."""
    if _one_line(result.unranked_reason):
        return NOT_RANKED
    if not ranked or result.standing:
        return None
    return result.rank


def index_cell(result):
    """The index, or the standing of a unit that did not submit ("Chưa nộp", …)."""
    return result.standing if result.standing else result.index


def note_cell(result) -> str:
    """Why a unit left out of the ranking has no rank ("" for the others)."""
    reason = _one_line(result.unranked_reason)
    return f"{NOT_RANKED}: {reason}" if reason else ""
