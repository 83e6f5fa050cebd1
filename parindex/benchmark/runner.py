"""The benchmark: synthetic periods, a real gunicorn, and one table of figures and ratios.

Run by ``make bench`` (``python -m parindex.benchmark``) in its own database; it never fails a
build, and tests never time anything.
"""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.benchmark.capacity import capacity_section
from parindex.benchmark.excel import excel_rows, job_rows
from parindex.benchmark.load import get, run_load
from parindex.benchmark.measure import Row
from parindex.benchmark.pages import page_weight
from parindex.benchmark.recompute import analyse, recompute_rows

ROOT = Path(settings.BASE_DIR)
# What every browser sends: the public pages' stored copies are then served gzip-compressed.
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}
CSRF = "benchbenchbenchbenchbenchbench12"  # a valid 32-character secret for the bench clients


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving parindex plus a minimal view: 2 workers of 4 threads each.

    Not ``make run``'s 2 single-threaded workers: with 50 clients those would queue most requests
    in the kernel's backlog, and the figures would measure the queue. The threads let a worker
    take a request while another waits for the database, as a deployment sized for a deadline
    day would (README, "Triển khai"); the page and the minimal view it is compared with run on
    the same server."""

    def __init__(self):
        self.port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parindex.benchmark.settings"}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "parindex.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def queries(path: str) -> int:
    """Queries of one anonymous request, rendered (not from the page cache)."""
    from django.core.cache import cache

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def throughput_rows(server, pages, clients, duration, *, say=print) -> list[Row]:
    """Requests per second of each page of ``pages`` ((label, path, key)) against the minimal
    view, measured just before and just after it with the same clients (the machine's speed
    drifts between runs of a few seconds): the faster of the two is the page's reference, so
    a drift never flatters the page."""

    def minimal():
        return run_load(server.port, get("/bench/ok/", BROWSER), clients=clients, seconds=duration)

    before = minimal()
    rows = [
        Row(
            f"Minimal view (HttpResponse ok), {clients} clients",
            f"{before.throughput:.1f} req/s (first of {len(pages) + 1} runs, one between pages)",
            "",
            "",
            "reference",
        )
    ]
    for label, path, key in pages:
        say(f"  {label}…")
        result = run_load(server.port, get(path, BROWSER), clients=clients, seconds=duration)
        after = minimal()
        reference = max(before.throughput, after.throughput)
        ratio = result.throughput / reference if reference else 0
        rows.append(
            Row(
                f"{label}: requests/s ({clients} clients, {duration:.0f} s)",
                f"{result.throughput:.1f} req/s ({result.errors} errors)",
                f"minimal view {reference:.1f} req/s (best of the runs before and after)",
                f"{ratio:.2f}",
                "≥ 0.5",
                key=key,
                per_second=result.throughput,
            )
        )
        before = after
    return rows


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}; csrftoken={CSRF}"


def saving_clients(year: int, count: int, source_year: int):
    """An open period with ``count`` units, an officer each, and a request that saves a leaf."""
    from parindex.core.models import (
        Assessment,
        Criterion,
        GradeBand,
        Method,
        Period,
        PeriodGroup,
        PeriodStatus,
        Unit,
        User,
    )

    source = (
        PeriodGroup.objects.filter(period__year=source_year, group__code="SYN-SO")
        .select_related("group", "criteria_set")
        .first()
    )
    period = Period.objects.create(
        year=year,
        name=f"Kỳ thử tải {year}",
        status=PeriodStatus.OPEN,
        self_assessment_deadline=date.today() + timedelta(days=30),
    )
    PeriodGroup.objects.create(
        period=period,
        group=source.group,
        criteria_set=source.criteria_set,
        ranked=source.group.ranked,
    )
    GradeBand.objects.create(period=period, group=source.group, label="Tốt", lower_bound=80)
    units = list(Unit.objects.filter(group=source.group).order_by("code")[:count])
    Assessment.objects.bulk_create(Assessment(period=period, unit=u) for u in units)
    leaf = (
        Criterion.objects.filter(criteria_set=source.criteria_set, method=Method.SELF, options=[])
        .order_by("position")
        .first()
    )
    cookies = []
    for unit in units:
        user = User(username=f"bench-{unit.code}", role="officer", unit=unit)
        user.set_unusable_password()
        user.save()
        cookies.append((unit.code, session_cookie(user)))
    revisions = [0] * len(cookies)
    values = ["0", str(leaf.max_points)]

    def request(number, http):
        code, cookie = cookies[number % len(cookies)]
        body = f"points={values[revisions[number] % 2]}&note=&revision={revisions[number]}"
        http.request(
            "POST",
            f"/assessments/{year}/{code}/leaf/{leaf.code}/",
            body=body,
            headers={
                "Cookie": cookie,
                "X-CSRFToken": CSRF,
                "X-Requested-With": "fetch",
                "Referer": "http://127.0.0.1/",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = http.getresponse()
        payload = response.read()
        if response.status in (200, 409):
            import json

            revisions[number] = json.loads(payload)["revision"]
        return response.status

    return request


def run(*, units: int = 3000, quick: bool = False, say=print) -> list[Row]:
    from parindex.core.demo.synthetic import build_synthetic_period

    duration = 4.0 if quick else 10.0
    year = 2100
    rows: list[Row] = []
    sizes = sorted({30, 300, units} | (set() if quick else {3000, 10000}))
    say(f"Building synthetic periods: {sizes} units (+ the previous year of {units})…")
    build_synthetic_period(year - 1, units, seed=1)
    periods = {}
    for offset, size in enumerate(sizes):
        periods[size] = build_synthetic_period(year + offset, size, seed=2)
    main = periods[units]
    for size in sizes:
        path = f"/rankings/{periods[size].year}/SYN-SO/"
        rows.append(
            Row(
                f"League page queries, {size} units",
                str(queries(path)),
                target="same at every size",
            )
        )

    say("Recompute…")
    for number, size in enumerate(sizes):
        # Published results cannot be recomputed: measure on a finalised copy of the same size.
        draft = build_synthetic_period(year + 20 + number, size, seed=3, publish=False)
        analyse()
        rows += recompute_rows(draft, size, first=size >= 3000)

    server = Server()
    try:
        say("Load: minimal view, league, dashboards…")
        rows += throughput_rows(
            server,
            [
                (
                    f"League page, {units} units (published, anonymous)",
                    f"/rankings/{main.year}/SYN-SO/",
                    "league",
                ),
                ("Dashboard overview", f"/dashboard/{main.year}/", "dashboard"),
                ("Unit profile", "/units/SYN-00001/", "profile"),
            ],
            8,
            duration,
            say=say,
        )
        weight = page_weight(server.port, f"/dashboard/{main.year}/")
        rows.append(
            Row(
                "Dashboard overview page weight (HTML + scripts + styles, gzip accepted)",
                f"{weight.transferred / 1024:.0f} KB transferred "
                f"({weight.uncompressed / 1024:.0f} KB uncompressed, {weight.files} files)",
                target="≤ 600 KB",
            )
        )
        rows.append(
            Row(
                "Dashboard overview queries",
                str(queries(f"/dashboard/{main.year}/")),
                target="constant (test)",
            )
        )
        rows.append(
            Row("Unit profile queries", str(queries("/units/SYN-00001/")), target="constant (test)")
        )
        say("Deadline rush: 50 clients saving leaves…")
        save = saving_clients(year + 40, 50, main.year)
        minimal50 = run_load(server.port, get("/bench/ok/"), clients=50, seconds=duration)
        saving = run_load(server.port, save, clients=50, seconds=duration)
        after = run_load(server.port, get("/bench/ok/"), clients=50, seconds=duration)
        # The lower p95 of the minimal view before and after: a drift never flatters the save.
        minimal50 = min(minimal50, after, key=lambda result: result.p95 or float("inf"))
        ratio = saving.p95 / minimal50.p95 if minimal50.p95 else 0
        rows.append(
            Row(
                "Save a leaf, 50 clients on 50 units: p95",
                f"{saving.p95 * 1000:.0f} ms ({saving.throughput:.0f} saves/s, "
                f"{saving.errors} refused)",
                f"minimal view p95 {minimal50.p95 * 1000:.0f} ms (lower of before and after)",
                f"{ratio:.1f}",
                "≤ 5",
                key="save",
                per_second=saving.throughput,
            )
        )
    finally:
        server.stop()

    say("Import and export…")
    rows += excel_rows(main, units)
    say("Import and publish as jobs, done by a worker process…")
    rows += job_rows(main, units, year + 30)
    return rows


def report(rows: list[Row], *, quick: bool) -> str:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    lines = [
        "# Benchmarks",
        "",
        f"- Date: {date.today().isoformat()}; mode: {'quick' if quick else 'full'}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPU, Python "
        f"{platform.python_version()}",
        f"- Database: {vendor} {version.split(' on ')[0]}",
        "- Server: gunicorn, 2 workers × 4 threads, on 127.0.0.1; load from threads of the same "
        "machine (they compete with the server for the 2 cores, for the measured page and the "
        "reference alike), sending a browser's `Accept-Encoding: gzip, deflate, br`.",
        "",
        "| measurement | figure | reference | ratio | target |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.measurement} | {r.figure} | {r.reference} | {r.ratio} | {r.target} |" for r in rows
    ]
    return "\n".join(lines) + "\n" + capacity_section(rows, cores=os.cpu_count() or 1)
