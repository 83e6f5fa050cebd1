"""Settings read from the environment work on a fresh clone."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_migrate_on_a_fresh_clone_with_a_secret_key_creates_the_data_folder(tmp_path):
    data_dir = tmp_path / "var"  # not there yet, as in a fresh clone
    env = {**os.environ, "DATA_DIR": str(data_dir), "SECRET_KEY": "x" * 50, "LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (data_dir / "parindex.sqlite3").stat().st_size > 0
    assert not (data_dir / "secret_key").exists()  # the key came from the environment
