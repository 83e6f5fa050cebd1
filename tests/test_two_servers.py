"""Two app servers behind one load balancer: nothing a user does may depend on which one answers.

Starts, from the project root as the README's deployment does: two gunicorn servers on two ports
and one worker (``manage.py worker``), each with a DATA_DIR of its own (no shared disk), sharing
one PostgreSQL database, the Redis server on 127.0.0.1:6379 (database 14, emptied before and
after) and an S3-compatible endpoint (moto's server mode, in this process). Runs in CI's
PostgreSQL pass.
"""

import json
import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import dj_database_url
import pytest

from tests.builders import PDF_BYTES
from tests.test_gunicorn_conf import ROOT, first_response, free_port

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
REDIS_URL = "redis://127.0.0.1:6379/14"
BUCKET = "parindex-two-servers"
PASSWORD = "demo12345"
CORRECTION = "99/QĐ-ĐC (thử hai máy chủ)"

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="several servers share PostgreSQL: this test runs in CI's PostgreSQL pass",
)

FACTS = """
import json
from parindex.core.models import Assessment, Criterion, GroupStage, Period, PeriodGroup, User
officer = User.objects.get(username="canbo.tuphap")
current = Period.objects.order_by("-year").first()
mine = Assessment.objects.select_related("unit").get(period=current, unit=officer.unit)
leaf = Criterion.objects.for_assessment(mine).filter(method="self", options=[]).first()
published = PeriodGroup.objects.filter(stage=GroupStage.PUBLISHED).select_related("period", "group")
shown = published.order_by("-period__year", "group__code").first()
other = Assessment.objects.select_related("unit").filter(
    period=shown.period, unit__group=shown.group).order_by("unit__code").first()
corrected = Criterion.objects.for_assessment(other).filter(method="self", options=[]).first()
print(json.dumps({
    "year": current.year, "unit": mine.unit.code, "leaf": leaf.code,
    "published_year": shown.period.year, "group": shown.group.code,
    "corrected_unit": other.unit.code, "corrected_leaf": corrected.code,
}))
"""


def _require(condition: bool, what: str) -> None:
    """Skip without ``what`` outside CI; under CI the PostgreSQL pass must have it."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI's PostgreSQL pass needs {what} for the two-server test.")
        pytest.skip(f"{what} is not available here")


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        _require(False, "the Redis server on 127.0.0.1:6379")
    return client


@contextmanager
def _database():
    """Create a database of the test's own on the PostgreSQL server of DATABASE_URL."""
    import psycopg2

    config = dj_database_url.parse(DATABASE_URL)
    name = f"parindex_two_servers_{os.getpid()}"
    admin = dict(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
    )

    def execute(sql):
        connection = psycopg2.connect(dbname="postgres", **admin)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    execute(f'DROP DATABASE IF EXISTS "{name}"')
    execute(f'CREATE DATABASE "{name}"')
    try:
        user = admin["user"] + (f":{admin['password']}" if admin["password"] else "")
        yield f"postgres://{user}@{admin['host']}:{admin['port']}/{name}"
    finally:
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _s3():
    """An S3-compatible endpoint (moto's server) with one private bucket."""
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint, client
    finally:
        server.stop()


class Cluster:
    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.processes = env, tmp_path, []

    def own_env(self, name: str) -> dict:
        data_dir = self.tmp_path / name
        data_dir.mkdir(exist_ok=True)
        return {**self.env, "DATA_DIR": str(data_dir)}

    def manage(self, *args, name="setup") -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.own_env(name),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self, name: str, command: list[str]) -> None:
        log = (self.tmp_path / f"{name}.log").open("w")
        self.processes.append(
            subprocess.Popen(
                command, cwd=ROOT, env=self.own_env(name), stdout=log, stderr=subprocess.STDOUT
            )
        )

    def server(self, name: str) -> str:
        port = free_port()
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        self.start(name, [gunicorn, "parindex.wsgi:application", "-b", f"127.0.0.1:{port}"])
        base = f"http://127.0.0.1:{port}"
        first_response(base + "/healthz")
        return base

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    redis_client = _redis()
    redis_client.flushdb()
    tmp_path = tmp_path_factory.mktemp("two-servers")
    with ExitStack() as stack:
        database_url = stack.enter_context(_database())
        endpoint, s3 = stack.enter_context(_s3())
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "STORAGE_URL": f"s3://{BUCKET}/province",
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "SECRET_KEY": "two-servers-" + "k" * 40,
            "STATIC_ROOT": str(tmp_path / "static"),
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        cluster = Cluster(env, tmp_path)
        cluster.manage("migrate", "--noinput", "-v0")
        cluster.manage("loaddemo")
        cluster.manage("collectstatic", "--noinput", "-v0")
        cluster.facts = json.loads(cluster.manage("shell", "-c", FACTS).strip().splitlines()[-1])
        stack.callback(cluster.stop)
        cluster.start("worker", [sys.executable, "manage.py", "worker", "--interval", "0.2"])
        cluster.a, cluster.b = cluster.server("server-a"), cluster.server("server-b")
        cluster.s3 = s3
        yield cluster
    redis_client.flushdb()


def _csrf(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def _login(session, base, username, password=PASSWORD):
    token = _csrf(session.get(base + "/accounts/login/"))
    return session.post(
        base + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/accounts/login/"},
        allow_redirects=False,
    )


def _post(session, base, path, data, *, token, files=None, follow=False):
    return session.post(
        base + path,
        data={**data, "csrfmiddlewaretoken": token},
        files=files,
        headers={"Referer": base + path},
        allow_redirects=follow,
    )


def _session():
    requests = pytest.importorskip("requests")
    return requests.Session()


def test_both_servers_are_ready_with_shared_database_cache_storage_and_queue(cluster):
    for base in (cluster.a, cluster.b):
        answer = _session().get(base + "/readyz")
        assert answer.status_code == 200, answer.text
        assert answer.json()["checks"] == {
            "database": "ok",
            "cache": "ok",
            "storage": "ok",
            "queue": "ok",
        }


def test_a_login_on_one_server_holds_on_the_other(cluster):
    session = _session()
    assert _login(session, cluster.a, "canbo.tuphap").status_code == 302
    page = session.get(cluster.b + f"/assessments/{cluster.facts['year']}/{cluster.facts['unit']}/")
    assert page.status_code == 200 and not page.history  # no detour to the login page
    assert "Đăng xuất" in page.text


def test_evidence_uploaded_through_one_server_downloads_through_the_other(cluster):
    facts, session = cluster.facts, _session()
    _login(session, cluster.a, "canbo.tuphap")
    entry = f"/assessments/{facts['year']}/{facts['unit']}/"
    token = _csrf(session.get(cluster.b + entry))  # the form of one server, posted to the other
    content = PDF_BYTES + b"% two servers\n"
    sent = _post(
        session,
        cluster.a,
        f"{entry}leaf/{facts['leaf']}/evidence/",
        {"citation": "trang 1"},
        token=token,
        files={"file": ("bao-cao-hai-may.pdf", content, "application/pdf")},
    )
    assert sent.status_code == 302
    # The message set by server A is shown by server B on the page the redirect leads to.
    landing = session.get(cluster.b + sent.headers["Location"])
    assert "Đã tải lên tài liệu kiểm chứng" in landing.text
    link = re.search(rf'href="({re.escape(entry)}evidence/\d+/)"', landing.text)
    assert link, "the uploaded file is not listed"
    download = session.get(cluster.b + link.group(1))
    assert download.status_code == 200
    assert download.content == content
    stored = cluster.s3.list_objects_v2(Bucket=BUCKET, Prefix="province/")
    assert any(item["Key"].endswith(".pdf") for item in stored.get("Contents", []))
    assert not list(cluster.tmp_path.glob("server-*/media/**/*.pdf"))  # nothing on local disk


def test_a_correction_published_through_one_server_shows_at_once_on_the_others_cached_page(
    cluster,
):
    facts = cluster.facts
    public = f"/rankings/{facts['published_year']}/{facts['group']}/"
    anonymous = _session()
    before = anonymous.get(cluster.b + public)
    assert before.status_code == 200
    assert anonymous.get(cluster.b + public).text == before.text  # served again, from the cache
    assert CORRECTION not in before.text

    approver = _session()
    _login(approver, cluster.a, "pheduyet")
    token = _csrf(approver.get(cluster.a + f"/review/{facts['published_year']}/"))
    corrected = _post(
        approver,
        cluster.a,
        f"/review/{facts['published_year']}/correct/",
        {
            "unit": facts["corrected_unit"],
            "leaf": facts["corrected_leaf"],
            "points": "0",
            "note": "Đính chính thử qua máy chủ A",
            "reason": "Thử hai máy chủ",
            "decision_number": CORRECTION,
        },
        token=token,
        follow=True,
    )
    assert "Đã đính chính kết quả" in corrected.text

    after = anonymous.get(cluster.b + public)
    assert after.status_code == 200
    assert CORRECTION in after.text


def test_a_job_started_on_one_server_is_seen_finishing_on_the_other(cluster):
    facts, session = cluster.facts, _session()
    _login(session, cluster.a, "pheduyet")
    token = _csrf(session.get(cluster.a + f"/review/{facts['year']}/"))
    started = _post(session, cluster.a, f"/review/{facts['year']}/export/", {}, token=token)
    assert started.status_code == 302
    job = started.headers["Location"]
    assert re.fullmatch(r"/jobs/[0-9a-f-]{36}/", job)
    deadline = time.monotonic() + 120
    while True:
        state = session.get(cluster.b + job + "progress/").json()
        if state["finished"] or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert state["status"] == "done", state
    workbook = session.get(cluster.b + job + "file/")
    assert workbook.status_code == 200
    assert workbook.content[:2] == b"PK"  # an xlsx, kept in the bucket, not on a server's disk
    stored = cluster.s3.list_objects_v2(Bucket=BUCKET, Prefix="province/")
    assert any(item["Key"].endswith(".xlsx") for item in stored.get("Contents", []))


def test_failed_logins_count_together_on_both_servers(cluster):
    """Five failures of one name from one address lock the pair, whichever server saw them."""
    session = _session()
    for attempt in range(4):
        base = (cluster.a, cluster.b)[attempt % 2]
        refused = _login(session, base, "khong.co.ai", password="sai-mat-khau")
        assert refused.status_code == 200  # the form again, with its error
    for base in (cluster.a, cluster.b):  # the fifth failure locks, on both servers at once
        locked = _login(session, base, "khong.co.ai", password="sai-mat-khau")
        assert locked.status_code == 429
        assert "Tạm khóa đăng nhập" in locked.text
