"""A small load generator on 127.0.0.1: keep-alive HTTP clients in threads, bounded in time."""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    errors: int
    latencies: tuple[float, ...]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        if not self.latencies:
            return 0.0
        return (
            statistics.quantiles(self.latencies, n=20)[-1]
            if len(self.latencies) > 1
            else (self.latencies[0])
        )


def run_load(port: int, make_request, *, clients: int, seconds: float) -> LoadResult:
    """Run ``clients`` threads for ``seconds``; ``make_request(n, connection)`` does one request
    and returns its status. Every thread keeps its own connection alive."""
    stop = threading.Event()
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}

    def client(number):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, errors = [], 0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                status = make_request(number, connection)
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            if 200 <= status < 400:
                mine.append(elapsed)
            else:
                errors += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["ok"] += len(mine)
            counts["errors"] += errors

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.perf_counter() - started
    return LoadResult(counts["ok"], elapsed, counts["errors"], tuple(latencies))


def get(path: str, headers: dict | None = None):
    """Return a ``make_request`` that GETs ``path``."""

    def request(_number, connection):
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status

    return request
