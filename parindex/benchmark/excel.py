"""Excel in and out at scale: importing a period workbook (in process and as a job done by a
worker process), exporting the workbook and the official annex."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook

from parindex.benchmark.jobs import import_job, publish_job
from parindex.benchmark.measure import Row, seconds


def workbook_of(period_year: int, units: int, path: Path, *, year=2050, prefix="IMP-") -> None:
    """Write a period workbook of ``units`` units (for the import measurement)."""
    from parindex.core.excel.writing import write_period
    from parindex.core.models import Period

    source = load_workbook(
        io.BytesIO(write_period(Period.objects.get(year=period_year))), read_only=True
    )
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in source}
    for row in sheets["Thông tin"]:
        if row[0] == "Năm":
            row[1] = year  # a year the benchmark database does not use otherwise
    # New unit codes, so the import creates a whole period rather than matching the source.
    lineage = sheets["Đơn vị"][0].index("Kế thừa từ")
    for row in sheets["Đơn vị"][1:]:
        row[0] = f"{prefix}{row[0]}"
        if len(row) > lineage and row[lineage]:
            row[lineage] = ", ".join(f"{prefix}{c.strip()}" for c in row[lineage].split(","))
    for row in sheets["Điểm"][1:]:
        row[0] = f"{prefix}{row[0]}"
    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)


def excel_rows(main, units: int) -> list[Row]:
    """Import a workbook of ``units`` units in process (the ratio to openpyxl's bare read);
    export the main period's workbook and one group's annex."""
    from parindex.core.excel.annex import write_annex
    from parindex.core.excel.workbooks import read_period
    from parindex.core.excel.writing import write_period
    from parindex.core.rankings import league_rows
    from parindex.core.services.imports import import_period

    rows: list[Row] = []
    book = Path(settings.DATA_DIR) / "bench-workbook.xlsx"
    workbook_of(main.year, units, book)
    started = time.perf_counter()
    workbook = load_workbook(book, read_only=True)
    cells = sum(1 for ws in workbook.worksheets for r in ws.iter_rows(values_only=True) for _ in r)
    bare = time.perf_counter() - started
    with book.open("rb") as handle:
        elapsed, data = seconds(read_period, handle)
    write_seconds, _ = seconds(import_period, data)
    total = elapsed + write_seconds
    rows.append(
        Row(
            f"Import period workbook, {units} units ({cells} cells)",
            f"{total:.1f} s (check {elapsed:.1f} s + write {write_seconds:.1f} s)",
            f"openpyxl read-only {bare:.2f} s",
            f"{total / bare:.1f}",
            "≤ 2",
        )
    )
    export_seconds, content = seconds(write_period, main)
    rows.append(
        Row(
            f"Export period workbook, {units} units",
            f"{export_seconds:.1f} s, {len(content) // 1024} KB",
        )
    )
    period_group = main.period_groups.select_related("group").get(group__code="SYN-SO")
    tracemalloc.start()
    results, areas = league_rows(main, period_group)
    results = list(results)
    current = main.result_sets.filter(group=period_group.group, is_current=True).first()
    annex_seconds, annex = seconds(
        write_annex, main, period_group, results, areas, result_set=current
    )
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(
        Row(
            f"Export official annex, {len(results)} units",
            f"{annex_seconds:.2f} s, peak {peak / 2**20:.1f} MiB traced",
        )
    )
    return rows


def job_rows(main, units: int, draft_year: int) -> list[Row]:
    """Import a workbook of ``units`` units and publish a finalised period of as many units as
    jobs, each done by a worker process: time to done and the worker's memory peak."""
    from parindex.core.demo.synthetic import build_synthetic_period
    from parindex.core.models import JobStatus, User

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": "admin"})
    book = Path(settings.DATA_DIR) / "bench-job-workbook.xlsx"
    workbook_of(main.year, units, book, year=2051, prefix="JOB-")
    elapsed, job, peak = import_job(book, admin)
    ran = f"{job.seconds:.1f} s in the worker" if job.seconds is not None else "never started"
    rows = [
        Row(
            f"Import period workbook as a job, {units} units: time to done",
            f"{elapsed:.1f} s ({ran}; {job.get_status_display()})",
            target="no request waits",
        ),
        Row(
            f"Worker memory peak, import of {units} units",
            f"{peak / 1024:.0f} MiB (VmHWM)",
        ),
    ]
    draft = build_synthetic_period(draft_year, units, seed=4, publish=False)
    approver, _ = User.objects.get_or_create(
        username="bench-approver", defaults={"role": "approver"}
    )
    elapsed, job, _peak = publish_job(draft, approver)
    assert job.status == JobStatus.DONE, job.outcome
    rows.append(
        Row(
            f"Publish a finalised period as a job, {units} units: time to done",
            f"{elapsed:.1f} s ({job.seconds:.1f} s in the worker)",
            target="no request waits",
        )
    )
    return rows
