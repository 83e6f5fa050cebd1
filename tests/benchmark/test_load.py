"""The benchmark's load generator counts answers and failures (nothing is timed here)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from parindex.benchmark.load import LoadResult, get, run_load
from parindex.benchmark.runner import Row, report


class Alternating(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    count = 0

    def do_GET(self):  # noqa: N802 (the http.server API)
        Alternating.count += 1
        status = 200 if Alternating.count % 2 else 500
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_run_load_counts_successes_and_errors_separately():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Alternating)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_load(server.server_address[1], get("/"), clients=2, seconds=0.5)
    finally:
        server.shutdown()
    assert result.requests > 0 and result.errors > 0
    assert len(result.latencies) == result.requests
    assert abs(result.requests - result.errors) <= 2  # one in two answers is a 500


def test_p95_and_throughput_of_a_load_result():
    result = LoadResult(
        requests=20, seconds=2.0, errors=0, latencies=tuple(i / 100 for i in range(1, 21))
    )
    assert result.throughput == 10.0
    assert 0.19 <= result.p95 <= 0.2


def test_report_is_a_markdown_table_with_the_database(db):
    text = report(
        [Row("League page queries, 30 units", "8", target="same at every size")], quick=True
    )
    assert "| League page queries, 30 units | 8 |  |  | same at every size |" in text
    assert "- Database: " in text and "mode: quick" in text


def test_capacity_on_paper_is_computed_from_the_runs_throughputs(db):
    from parindex.benchmark.capacity import capacity_section
    from parindex.benchmark.measure import Row

    rows = [
        Row("league", "", key="league", per_second=400.0),
        Row("dashboard", "", key="dashboard", per_second=400.0),
        Row("profile", "", key="profile", per_second=400.0),
        Row("save", "", key="save", per_second=100.0),
    ]
    text = capacity_section(rows, cores=2)
    assert (
        "| public view (mix league 50%, dashboard 25%, profile 25%), per core | 200 req/s |" in text
    )
    assert "| save a leaf, per core | 50 saves/s |" in text
    # 1,389 views/s ÷ (200 × 4 × 60 %) → 3 servers; 344 saves/s ÷ (50 × 4 × 60 %) → 3.
    assert "| 344 saves/s |" in text
    servers = [line for line in text.splitlines() if line.startswith("| → app servers")]
    assert [line.rsplit("|", 2)[-2].strip() for line in servers] == ["3", "3"]


def test_capacity_says_so_when_the_run_measured_no_throughput(db):
    from parindex.benchmark.capacity import capacity_section

    assert "Not computed" in capacity_section([], cores=2)
