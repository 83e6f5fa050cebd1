"""/healthz and /readyz: what a load balancer sees, and that the answer gives nothing away."""

import json

import pytest
from django.db import OperationalError

from parindex.core import readiness

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_ok_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ok_when_database_cache_storage_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "queue": "ok"},
    }


def test_readyz_names_an_unreachable_cache_and_says_nothing_else(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "jobs": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "fail"
    assert body["checks"] == {"database": "ok", "cache": "fail", "storage": "ok", "queue": "ok"}
    assert b"127.0.0.1" not in response.content and b"Error" not in response.content


def test_readyz_names_storage_that_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker)},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["storage"] == "fail"
    assert str(tmp_path).encode() not in response.content


def test_readyz_names_the_database_when_it_does_not_answer(client, monkeypatch):
    def refuse():
        raise OperationalError("could not connect to server at 10.0.0.5")

    monkeypatch.setitem(readiness.CHECKS, "database", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["database"] == "fail"
    assert b"10.0.0.5" not in response.content


def test_readyz_leaves_no_file_behind_in_storage(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert client.get("/readyz").status_code == 200
    assert not any(path.is_file() for path in tmp_path.rglob("*"))
