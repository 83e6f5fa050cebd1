"""CSV exports of league tables (the richer Excel exports live elsewhere)."""

import csv

from django.http import FileResponse, HttpResponse

from parindex.web.templatetags.scores import score


def _plain(value):
    return "" if value is None else score(value)


def league_csv_response(table, *, period, group, areas):
    """Return the rows of ``table`` (filtered and sorted as shown) as a CSV download.

    The file starts with a byte-order mark so that Excel reads the Vietnamese text as UTF-8;
    numbers use a dot and two decimals, as published; unranked groups leave the rank empty.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="xep-hang-{period.year}-{group.code}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
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
        ]
    )
    for row in table.rows:
        r = row.record
        writer.writerow(
            [
                r.rank if group.ranked and r.rank is not None else "",
                r.unit.code,
                r.unit.name,
                *[_plain(getattr(r, f"area_{area.pk}")) for area in areas],
                _plain(r.total),
                _plain(r.max_points),
                _plain(r.index),
                r.grade_label,
                r.previous_rank if group.ranked and r.previous_rank is not None else "",
                _plain(r.previous_index),
            ]
        )
    return response


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
