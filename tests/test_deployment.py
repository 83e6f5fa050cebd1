"""Deployment variables: Redis cache and S3 storage read from the environment."""

import pytest

from parindex.deployment import ConfigurationError, redis_cache, storage_from_url


def test_no_storage_url_keeps_files_under_media_root():
    assert storage_from_url("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_storage_url_names_a_private_s3_bucket_and_prefix(monkeypatch):
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.delenv("AWS_S3_REGION_NAME", raising=False)
    storage = storage_from_url("s3://parindex-files/hcm")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "parindex-files"
    assert options["location"] == "hcm"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["default_acl"] is None  # never public-read
    assert options["querystring_auth"] is True and options["querystring_expire"] <= 300
    assert options["file_overwrite"] is False


def test_storage_url_query_gives_endpoint_and_region():
    options = storage_from_url("s3://b?endpoint=http://minio:9000&region=ap-southeast-1")["OPTIONS"]
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["region_name"] == "ap-southeast-1"
    assert options["location"] == ""


@pytest.mark.parametrize("url", ["http://bucket", "s3://", "file:///tmp/x"])
def test_a_storage_url_that_is_not_s3_is_refused(url):
    with pytest.raises(ConfigurationError):
        storage_from_url(url)


def test_redis_caches_share_one_server_under_their_own_prefixes():
    page, jobs = (
        redis_cache("redis://10.0.0.2:6379/3", "page"),
        redis_cache("redis://10.0.0.2:6379/3", "jobs"),
    )
    assert page["BACKEND"] == jobs["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert page["LOCATION"] == jobs["LOCATION"] == "redis://10.0.0.2:6379/3"
    assert page["KEY_PREFIX"] != jobs["KEY_PREFIX"]


def test_a_redis_url_of_another_scheme_is_refused():
    with pytest.raises(ConfigurationError):
        redis_cache("memcached://10.0.0.2", "page")
