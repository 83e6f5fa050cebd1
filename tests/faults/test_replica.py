"""A streaming read replica: public pages read it, a user who just wrote reads the primary.

The test starts its own PostgreSQL primary (initdb, own port and data directory,
``wal_level=replica``, a replication line in pg_hba) and a streaming replica of it
(``pg_basebackup -R``, own port and directory), migrates and fills the primary, and serves the
application with gunicorn given both (``DATABASE_URL``, ``DATABASE_REPLICA_URL``). Replay on the
replica is then paused, so anything written afterwards exists on the primary only: a page that
shows it was read from the primary, a page that does not from the replica. It runs in CI's
PostgreSQL pass; elsewhere it skips with the reason. Both clusters are stopped and removed at the
end, whatever happened.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.faults.test_outage import BIN, Browser, as_postgres, free_port

ROOT = Path(__file__).resolve().parents[2]
LAG = 3  # REPLICA_LAG_SECONDS of the served application
OLD_NAME, NEW_NAME = "Sở Thử nghiệm", "Sở Thử nghiệm mới"
REASON = "Khối mới sáp nhập, kỳ này chỉ xếp loại"


def build_data():
    """A published 2023 (units A and B) and a 2024 under appraisal with provisional results;
    an approver and a leader (run inside ``manage.py shell`` against the primary)."""
    from parindex.core.models import Period
    from parindex.core.services.results import compute_results, finalise_period, publish_results
    from tests.builders import assess, full_scores, make_period, make_unit, make_user

    published = make_period(2023)
    units = [make_unit("A", name=OLD_NAME), make_unit("B")]
    for unit, points in zip(units, (60, 50), strict=True):
        assess(published, unit, full_scores(points, 30))
    finalise_period(published)
    publish_results(Period.objects.get(pk=published.pk), decision_number="1/QĐ")
    provisional = make_period(2024, criteria_set=published.period_groups.get().criteria_set)
    for unit, points in zip(units, (55, 45), strict=True):
        assess(provisional, unit, full_scores(points, 30))
    compute_results(provisional)
    make_user("pheduyet", "approver")
    make_user("lanhdao", "leader")


def required_binaries():
    """Skip (fail under CI) unless this is the PostgreSQL pass and the server binaries exist."""
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        pytest.skip("the replica test runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")
    tools = [f"{BIN[-1]}/{name}" for name in ("initdb", "pg_ctl", "pg_basebackup")] if BIN else []
    if not tools or not all(map(os.path.exists, tools)):
        message = "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed"
    elif os.geteuid() == 0 and not shutil.which("runuser"):
        message = "running as root needs runuser to start PostgreSQL as the postgres user"
    else:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Cluster:
    """One PostgreSQL server of the test: its data directory, port and log."""

    def __init__(self, base: Path, name: str):
        self.data, self.log, self.port = base / name, base / f"{name}.log", free_port()
        self.options = f"-p {self.port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self):
        pg_ctl = f"{BIN[-1]}/pg_ctl"
        as_postgres(pg_ctl, "-D", self.data, "-l", self.log, "-w", "-o", self.options, "start")

    def stop(self):
        """Stop the server if it runs (a cleanup step: never hides the test's own error)."""
        try:
            as_postgres(f"{BIN[-1]}/pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop")
        except subprocess.CalledProcessError:
            pass

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, sql, database="parindex_replica"):
        import psycopg2

        connection = psycopg2.connect(self.url(database))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone() if cursor.description else None
        finally:
            connection.close()


@pytest.fixture(scope="module")
def clusters():
    required_binaries()
    # Not under pytest's private temp root: the servers run as the postgres user.
    base = Path(tempfile.mkdtemp(prefix="parindex-replica-"))
    base.chmod(0o777)
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, base, ignore_errors=True)
        primary, replica = Cluster(base, "primary"), Cluster(base, "replica")
        as_postgres(f"{BIN[-1]}/initdb", "-D", primary.data, "-U", "postgres", "-A", "trust", "-N")
        with open(primary.data / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\n")
        with open(primary.data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        cleanup.callback(primary.stop)
        primary.start()
        primary.query("CREATE DATABASE parindex_replica", database="postgres")
        as_postgres(
            f"{BIN[-1]}/pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres"),
            *("-D", replica.data, "-R", "-X", "stream", "-c", "fast", "-N"),
        )
        cleanup.callback(replica.stop)
        replica.start()
        yield primary, replica


def manage(env, *command):
    """Start ``manage.py command`` in the background (its output kept for a failure message)."""
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finished(process, timeout=300):
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, output


@pytest.fixture(scope="module")
def server(clusters, tmp_path_factory):
    primary, replica = clusters
    work = tmp_path_factory.mktemp("replica-app")
    env = {
        **os.environ,
        "DATABASE_URL": primary.url("parindex_replica"),
        "DATABASE_REPLICA_URL": replica.url("parindex_replica"),
        "REPLICA_LAG_SECONDS": str(LAG),
        "DATA_DIR": str(work),
        "STATIC_ROOT": str(work / "static"),
        "SECRET_KEY": "replica-test-" + "x" * 40,
        "DEBUG": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # The slow part, migrating, runs while the static files are collected and gunicorn starts.
    setup = "from django.core.management import call_command; call_command('migrate', '-v0'); "
    setup += "from tests.faults.test_replica import build_data; build_data()"
    database = manage(env, "shell", "-c", setup)
    finished(manage(env, "collectstatic", "--noinput", "-v0"))
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "parindex.wsgi:application"]
        + ["-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        finished(database)
        for _ in range(100):
            if Browser(base).request("/accounts/login/")[0] == 200:
                break
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: nothing is in flight
        process.wait(timeout=20)
        database.kill()


def caught_up(primary, replica):
    """Wait until the replica has replayed everything the primary has written."""
    target = primary.query("SELECT pg_current_wal_lsn()")[0]
    for _ in range(200):
        if replica.query(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not catch up with the primary")


def pause_replay(replica):
    replica.query("SELECT pg_wal_replay_pause()")
    for _ in range(200):
        if replica.query("SELECT pg_get_wal_replay_pause_state()")[0] == "paused":
            return
        time.sleep(0.05)
    raise AssertionError("replay on the replica did not pause")


def page(browser, path) -> str:
    status, body = browser.request(path)
    assert status == 200, (path, status)
    return body.decode()


def test_public_pages_read_the_replica_and_a_user_who_wrote_reads_the_primary(clusters, server):
    primary, replica = clusters
    approver, leader, visitor = Browser(server), Browser(server), Browser(server)
    leader.login("lanhdao")
    logged_in = time.monotonic()
    approver.login("pheduyet")
    caught_up(primary, replica)
    pause_replay(replica)

    # Changed on the primary only: the public profile still shows the replica's name.
    primary.query(f"UPDATE core_unit SET name = '{NEW_NAME}' WHERE code = 'A'")
    assert primary.query("SELECT name FROM core_unit WHERE code = 'A'") == (NEW_NAME,)
    assert replica.query("SELECT name FROM core_unit WHERE code = 'A'") == (OLD_NAME,)
    assert f"<h1>{OLD_NAME}</h1>" in page(visitor, "/units/A/")
    time.sleep(max(0, logged_in + LAG + 0.2 - time.monotonic()))  # the login's mark is over
    assert f"<h1>{OLD_NAME}</h1>" in page(leader, "/units/A/")

    # The approver decides the 2024 group is not ranked: their next pages show it at once.
    status, _ = approver.request(
        "/review/2024/groups/SO/ranking/",
        {"reason": REASON, "csrfmiddlewaretoken": approver.csrf()},
    )
    assert status == 200  # the queue, after the redirect
    assert REASON in page(approver, "/rankings/2024/SO/")
    assert f"<h1>{NEW_NAME}</h1>" in page(approver, "/units/A/")
    # ... read from the primary: the replica has not replayed any of it.
    assert replica.query("SELECT pg_is_wal_replay_paused()") == (True,)
    assert replica.query("SELECT count(*) FROM core_periodgroup WHERE NOT ranked") == (0,)
    # Someone who wrote nothing still reads the replica.
    assert REASON not in page(leader, "/rankings/2024/SO/")

    replica.query("SELECT pg_wal_replay_resume()")
    caught_up(primary, replica)
    assert REASON in page(leader, "/rankings/2024/SO/")
    assert f"<h1>{NEW_NAME}</h1>" in page(visitor, "/units/A/?after=resume")
