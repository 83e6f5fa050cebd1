"""Run the benchmark in its own database: ``python -m parindex.benchmark [--quick]``.

With DATABASE_URL set to PostgreSQL it uses (and recreates) ``<name>_bench`` on the same
server; otherwise a fresh SQLite file in ``var/bench/``. The table is printed and written to
BENCHMARKS.md. It never fails a build.
"""

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        from urllib.parse import urlparse

        import psycopg2

        parsed = urlparse(url)
        name = parsed.path.lstrip("/") + "_bench"
        admin = psycopg2.connect(
            host=parsed.hostname,
            port=parsed.port or 5432,
            user=parsed.username,
            password=parsed.password,
            dbname="postgres",
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        os.environ["DATABASE_URL"] = parsed._replace(path="/" + name).geturl()
        os.environ.setdefault("DATA_DIR", str(ROOT / "var" / "bench"))
    else:
        data = ROOT / "var" / "bench"
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        os.environ["DATA_DIR"] = str(data)
        os.environ.pop("DATABASE_URL", None)
    os.environ["DEBUG"] = "0"
    os.environ["STATIC_ROOT"] = str(ROOT / "var" / "bench-static")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="300 units, short loads (< 1 min)")
    parser.add_argument("--units", type=int, default=None)
    args = parser.parse_args()
    bench_database()
    os.environ["DJANGO_SETTINGS_MODULE"] = "parindex.benchmark.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from parindex.benchmark.runner import report, run

    started = time.perf_counter()
    units = args.units or (300 if args.quick else 3000)
    rows = run(units=units, quick=args.quick, say=lambda m: print(m, flush=True))
    table = report(rows, quick=args.quick)
    table += f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s.\n"
    print(table)
    (ROOT / "BENCHMARKS.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
