"""Downloads of league tables: the CSV (with the annex's title lines), the xlsx answer, files."""

from django.conf import settings
from django.http import FileResponse, HttpResponse

from parindex.core.excel import titles
from parindex.core.excel.safe import CsvWriter
from parindex.core.models.results import group_name_for
from parindex.web.templatetags.scores import score


def _plain(value):
    return "" if value is None else score(value)


def describe_selection(filterset, table) -> titles.Selection:
    """Say which filter and sort the reader applied, as they were applied.

    Reads the LeagueFilter's cleaned values (a value the form refused filtered nothing and is
    not named) and the table's ordering after django-tables2 kept the valid ``sort``.
    """
    filterset.form.is_valid()
    cleaned = filterset.form.cleaned_data
    filters = []
    for name, field in filterset.form.fields.items():
        value = cleaned.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            filters.append(f"{field.label} “{value}”")
    sorts = []
    for order in table.order_by or ():
        header = str(table.columns[order.bare].header)
        if order.bare.startswith("area_"):
            header = f"Nội dung {header}"
        direction = "giảm dần" if order.is_descending else "tăng dần"
        sorts.append(f"{header} {direction}")
    return titles.Selection(filters=tuple(filters), sort=", ".join(sorts))


def export_arguments(period, period_group, league) -> dict:
    """The keyword arguments of an export (``EXPORTS`` in views/rankings.py) for the table
    ``league`` (``league_context``) shows: the version shown (the asked earlier version, else
    the current one) and the reader's filter and sort."""
    return {
        "period": period,
        "period_group": period_group,
        "areas": league["areas"],
        "result_set": league["result_set"],
        "selection": describe_selection(league["filter"], league["table"]),
    }


def export_filename(stem: str, period, group, result_set, extension: str) -> str:
    """``stem-2022-SO.csv``; an earlier version shown says which (``-phien-ban-1``)."""
    version = (
        f"-phien-ban-{result_set.version}"
        if result_set is not None and not result_set.is_current
        else ""
    )
    return f"{stem}-{period.year}-{group.code}{version}.{extension}"


def league_csv_response(table, *, period, period_group, areas, result_set, selection=None):
    """Return the rows of ``table`` (filtered and sorted as shown) as a CSV download.

    The first rows are the title lines of the official annex, one text cell each (official with
    the decision number and date, or provisional; the version when corrected; the tie rule or
    why the group is not ranked; the reader's filter and sort), then an empty row, then the
    header row and one row per unit. The file starts with a byte-order mark so that Excel reads
    the Vietnamese text as UTF-8; numbers use a dot and two decimals, as published. Ranks are
    the stored ones, never renumbered: empty when the group is not ranked or the unit did not
    submit, "Không xếp hạng" for a unit left out (the reason in "Ghi chú"); a unit that did not
    submit shows its standing instead of an index. Text that a spreadsheet could evaluate
    (starting with = + - @) gets a leading ``'`` (``excel/safe.py``).
    """
    group = period_group.group
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = export_filename("xep-hang", period, group, result_set, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = CsvWriter(response)
    lines = titles.heading_lines(period, group_name_for(group, result_set), settings.PROVINCE_NAME)
    for line in lines + titles.status_lines(period, period_group, result_set, selection):
        writer.writerow([line])
    writer.writerow([])
    writer.writerow(
        [
            "Hạng",
            "Mã đơn vị",
            "Đơn vị",
            *[f"Nội dung {area.code}" for area in areas],
            "Tổng điểm",
            "Điểm tối đa",
            "Chỉ số (%)",
            "Xếp loại",
            "Hạng năm trước",
            "Chỉ số năm trước",
            "Ghi chú",
        ]
    )
    ranked = titles.is_ranked(period_group)
    for row in table.rows:
        writer.writerow(_csv_row(row.record, areas, ranked=ranked))
    return response


def _csv_row(r, areas, *, ranked: bool) -> list:
    rank = titles.rank_cell(r, ranked=ranked)
    index = titles.index_cell(r)
    return [
        "" if rank is None else rank,
        r.unit.code,
        r.shown_unit_name,
        *[_plain(getattr(r, f"area_{area.pk}")) for area in areas],
        _plain(r.total),
        _plain(r.max_points),
        index if isinstance(index, str) else _plain(index),
        r.grade_label,
        r.previous_rank if ranked and r.previous_rank is not None else "",
        _plain(r.previous_index),
        titles.note_cell(r),
    ]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """Return an Excel workbook as a download."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment(handle, filename: str, content_type: str) -> FileResponse:
    """Answer a stored file as a download that no browser sniffs into something else."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
