"""gunicorn started from the project root, as ``make run`` and the README start it."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_response(url):
    for _ in range(100):
        try:
            return urllib.request.urlopen(url, timeout=2)
        except urllib.error.HTTPError as error:
            return error
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"gunicorn did not answer on {url}")


@contextmanager
def gunicorn(tmp_path):
    """Start gunicorn from the project root (one worker, SQLite in ``tmp_path``), wait until it
    answers, and yield its port; stop it afterwards."""
    env = {**os.environ, "DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "parindex.wsgi:application"]
        + ["-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first_response(f"http://127.0.0.1:{port}/khong-co-trang-nay/")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_responses_do_not_name_the_server_software(gunicorn_port):
    response = first_response(f"http://127.0.0.1:{gunicorn_port}/khong-co-trang-nay/")
    assert response.status == 404  # Django's page, through the whole stack
    server = response.headers.get("Server", "")
    assert "gunicorn" not in server.lower() and not any(c.isdigit() for c in server)
