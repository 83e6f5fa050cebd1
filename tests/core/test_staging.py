"""Staged workbooks: an import that never finished does not leave its file behind for ever."""

import io
import os
import time

import pytest
from django.core.files.storage import default_storage

from parindex.core.models import Role
from parindex.core.services import staging
from tests.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def upload(name="so-diem.xlsx"):
    file = io.BytesIO(b"PK\x03\x04 workbook")
    file.name = name
    return file


def age(token, hours):
    then = time.time() - hours * 3600
    for suffix in (".xlsx", ".json"):
        if default_storage.exists(f"imports/{token}{suffix}"):
            os.utime(default_storage.path(f"imports/{token}{suffix}"), (then, then))


def staged(token):
    return {
        suffix: default_storage.exists(f"imports/{token}{suffix}") for suffix in (".xlsx", ".json")
    }


def test_a_file_left_staged_longer_than_a_day_goes_when_the_next_one_is_staged():
    admin = make_user("quantri", Role.ADMIN)
    abandoned = staging.stage_upload("period", upload(), by=admin)
    recent = staging.stage_upload("period", upload(), by=admin)
    age(abandoned, staging.KEPT_HOURS + 1)
    age(recent, staging.KEPT_HOURS - 1)
    fresh = staging.stage_upload("period", upload(), by=admin)
    assert staged(abandoned) == {".xlsx": False, ".json": False}
    assert staged(recent) == staged(fresh) == {".xlsx": True, ".json": True}
    with staging.staged_file(abandoned, "period", by=admin) as (file, ticket):
        assert (file, ticket) == (None, None)  # its confirmation says the session expired


def test_a_file_whose_import_crashed_after_taking_its_ticket_goes_a_day_later():
    admin = make_user("quantri", Role.ADMIN)
    token = staging.stage_upload("period", upload(), by=admin)
    default_storage.delete(f"imports/{token}.json")  # taken by an import whose worker died
    age(token, staging.KEPT_HOURS + 1)
    assert staging.prune_stale() == 1
    assert staged(token) == {".xlsx": False, ".json": False}


def test_nothing_staged_yet_prunes_nothing():
    assert staging.prune_stale() == 0
