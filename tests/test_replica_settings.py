"""DATABASE_REPLICA_URL: a replica alias, its router and middleware, and nothing without it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRIMARY = "postgres://parindex@db-primary:5432/parindex"
REPLICA_URL = "postgres://parindex@db-replica:5433/parindex"
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'replica': s.DATABASES.get('replica'), 'routers': s.DATABASE_ROUTERS, "
    "'middleware': s.MIDDLEWARE, 'lag': s.REPLICA_LAG_SECONDS}, default=str))"
)
REPLICA_MIDDLEWARE = "parindex.web.replica.ReplicaReadsMiddleware"


def read_settings(tmp_path, **variables):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        "DATA_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
    }
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "REPLICA_LAG_SECONDS"):
        env.pop(name, None)
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_without_a_replica_url_there_is_no_replica_router_or_middleware(tmp_path):
    result = read_settings(tmp_path, DATABASE_URL=PRIMARY)
    shown = json.loads(result.stdout)
    assert shown["replica"] is None and shown["routers"] == []
    assert REPLICA_MIDDLEWARE not in shown["middleware"]


def test_a_replica_url_adds_the_replica_as_a_test_mirror_with_its_router_and_middleware(
    tmp_path,
):
    result = read_settings(
        tmp_path, DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=REPLICA_URL, REPLICA_LAG_SECONDS="4"
    )
    shown = json.loads(result.stdout)
    replica = shown["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("db-replica", 5433, "parindex")
    assert replica["TEST"] == {"MIRROR": "default"} and replica["CONN_HEALTH_CHECKS"]
    assert shown["routers"] == ["parindex.core.routing.ReplicaRouter"]
    middleware = shown["middleware"]
    auth = middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[auth + 1] == REPLICA_MIDDLEWARE
    assert shown["lag"] == 4


def test_a_replica_of_the_sqlite_file_is_refused_with_the_reason(tmp_path):
    result = read_settings(tmp_path, DATABASE_REPLICA_URL=REPLICA_URL)
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL needs DATABASE_URL on PostgreSQL" in result.stderr
