"""Settings for running on several servers, read from environment variables (README "Cấu hình").

Kept apart from ``settings.py`` so the rules for a shared cache and shared file storage can be
tested on their own. Nothing here imports Django's configured settings.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, urlsplit


class ConfigurationError(ValueError):
    """A deployment variable that cannot be used as given."""


def redis_cache(url: str, prefix: str) -> dict:
    """Return a CACHES entry for Django's Redis cache at ``url`` under its own key prefix.

    Every server given the same REDIS_URL shares it: the public pages' cache and the jobs'
    progress are then the same for all of them.
    """
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigurationError("REDIS_URL must start with redis://, rediss:// or unix://")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": f"parindex:{prefix}",
        "TIMEOUT": 3600,
        # A Redis that stops answering costs a page two seconds, not a hung worker.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }


def storage_from_url(url: str) -> dict:
    """Return the STORAGES["default"] entry for STORAGE_URL.

    Empty: files under MEDIA_ROOT. ``s3://bucket/prefix``: S3-compatible storage through
    django-storages, the bucket private (no ACL is granted to anyone), every file fetched by the
    server that checked the reader's access and streamed to them; the endpoint, region and keys
    come from AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY (or the machine's role), a query ``?endpoint=…&region=…`` may give the
    first two instead.
    """
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ConfigurationError("STORAGE_URL must look like s3://bucket or s3://bucket/prefix")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    options = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "default_acl": None,
        "file_overwrite": False,
        # Signed addresses, should anything ever hand one out, expire in five minutes.
        "querystring_auth": True,
        "querystring_expire": 300,
    }
    endpoint = query.get("endpoint") or os.environ.get("AWS_S3_ENDPOINT_URL")
    region = query.get("region") or os.environ.get("AWS_S3_REGION_NAME")
    if endpoint:
        options["endpoint_url"] = endpoint
    if region:
        options["region_name"] = region
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
