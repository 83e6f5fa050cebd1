"""League tables (django-tables2)."""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parindex.web.templatetags.scores import (
    direction,
    grade_badge,
    index_change,
    score,
    signed_int,
)
from parindex.web.templatetags.standing import unit_status

# The unit column stays in view while a wide table scrolls sideways in its box (app.css).
UNIT_COLUMN = {"td": {"class": "unit-col"}, "th": {"class": "unit-col"}}


class ScoreColumn(tables.Column):
    """A number shown as published: two decimals."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return score(value)


class ChangeColumn(ScoreColumn):
    """The change of index versus last year, labelled when derived or when the unit is new."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value, record):
        return index_change(value, record.comparison)


class RankChangeColumn(ScoreColumn):
    def render(self, value):
        return format_html('<span class="change {}">{}</span>', direction(value), signed_int(value))


# A league page shows this many rows first; ``?per_page=all`` shows the whole table.
PAGE_ROWS = 100
WHOLE_TABLE = "all"


class LeaguePaginator(Paginator):
    """Pages of a league table; a ``per_page`` below one (typed into the address) counts as
    the usual page."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, per_page if per_page > 0 else PAGE_ROWS, *args, **kwargs)


def league_pagination(request):
    """Return how ``RequestConfig`` paginates a league table for ``request``: pages of
    ``PAGE_ROWS`` rows, or not at all when the whole table is asked for (``?per_page=all``)."""
    if request.GET.get("per_page") == WHOLE_TABLE:
        return False
    return {"per_page": PAGE_ROWS, "paginator_class": LeaguePaginator}


class LeagueTable(tables.Table):
    """One group's league table; one points column per content area is added per criteria set.

    Ranks are the stored ones (``UnitResult.rank``), never row numbers, so a page, a search or
    a sort shows each unit with the rank it was published with.
    """

    rank = tables.Column(
        verbose_name=_("Hạng"),
        attrs={"td": {"class": "num rank"}, "th": {"class": "num"}},
        order_by=("rank", "-index"),
        empty_values=(),  # a unit left out of the ranking shows why, not an empty cell
    )
    # The name the row shows: as published (UnitResult.with_names), current on a provisional row.
    unit = tables.Column(
        verbose_name=_("Đơn vị"),
        accessor="shown_unit_name",
        order_by=("shown_unit_name",),
        attrs=UNIT_COLUMN,
    )
    total = ScoreColumn(verbose_name=_("Tổng điểm"))
    max_points = ScoreColumn(verbose_name=_("Điểm tối đa"))
    index = ScoreColumn(
        verbose_name=_("Chỉ số (%)"),
        attrs={"td": {"class": "num index"}, "th": {"class": "num"}},
        empty_values=(),
    )
    grade_label = tables.Column(verbose_name=_("Xếp loại"))
    rank_change = RankChangeColumn(verbose_name=_("± Hạng"))
    index_change = ChangeColumn(verbose_name=_("± Chỉ số"))

    class Meta:
        attrs = {"class": "league"}
        empty_text = _("Chưa có kết quả cho khối này.")
        template_name = "includes/_league_table.html"
        per_page = PAGE_ROWS
        sequence = (
            "rank",
            "unit",
            "...",
            "total",
            "max_points",
            "index",
            "grade_label",
            "rank_change",
            "index_change",
        )
        orderable = True

    def __init__(self, data, *, areas, ranked, **kwargs):
        extra = [
            (
                f"area_{area.pk}",
                ScoreColumn(
                    verbose_name=area.code,
                    attrs={"th": {"class": "num", "title": area.title}, "td": {"class": "num"}},
                ),
            )
            for area in areas
        ]
        exclude = () if ranked else ("rank_change",)
        super().__init__(data, extra_columns=extra, exclude=exclude, **kwargs)
        self.ranked = ranked

    def render_rank(self, value, record):
        if record.unranked_reason:
            return format_html(
                '<span class="tag unranked" title="{}">{}</span>',
                record.unranked_reason,
                _("Không xếp hạng"),
            )
        return value if self.ranked and value is not None else "—"

    def render_index(self, value, record):
        if record.standing:
            return format_html('<span class="tag provisional">{}</span>', record.standing)
        return score(value)

    def render_unit(self, value, record):
        link = format_html(
            '<a href="{}">{}</a>', reverse("web:unit-profile", args=[record.unit.code]), value
        )
        if not record.unranked_reason:
            return link
        return format_html('{}<br><small class="muted">{}</small>', link, record.unranked_reason)

    def render_grade_label(self, value, record):
        return grade_badge(value, record.grade_color)


class QueueTable(tables.Table):
    """The reviewers' queue: every unit of a period with its state and totals so far."""

    unit = tables.Column(
        verbose_name=_("Đơn vị"), accessor="unit__name", order_by=("unit__name",), attrs=UNIT_COLUMN
    )
    group = tables.Column(
        verbose_name=_("Khối"), accessor="unit__group__name", order_by=("unit__group__order",)
    )
    status = tables.Column(verbose_name=_("Trạng thái"))
    self_total = ScoreColumn(verbose_name=_("Tự chấm"))
    current_total = ScoreColumn(verbose_name=_("Điểm thẩm định đến nay"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("Nộp lúc"), format="H:i d/m/Y")

    class Meta:
        attrs = {"class": "league"}
        empty_text = _("Không có đơn vị nào phù hợp.")
        orderable = True

    def render_unit(self, value, record):
        return format_html('<a href="{}appraise/">{}</a>', record.get_absolute_url(), value)

    def render_status(self, record):
        return unit_status(record)
