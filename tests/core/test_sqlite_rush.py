"""The embedded SQLite default survives twenty officers saving at the same moment."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.builders import copy_sqlite
from tests.core.sqlite_rush import ROUNDS, WRITERS

ROOT = Path(__file__).resolve().parents[2]


def test_twenty_writers_on_the_sqlite_file_default_are_never_refused(
    tmp_path, migrated_on_a_fresh_clone
):
    # The database file as ``manage.py migrate`` left it on a fresh clone (migrating takes
    # seconds; the script's own migrate then finds nothing to do).
    migrated, data_dir = migrated_on_a_fresh_clone
    assert migrated.returncode == 0, migrated.stderr
    copy_sqlite(data_dir / "parindex.sqlite3", tmp_path / "parindex.sqlite3")
    env = {**os.environ, "DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 50, "LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)  # the default a fresh installation runs on
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.core.sqlite_rush"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["saved"] == outcome["audited"] == WRITERS * ROUNDS
