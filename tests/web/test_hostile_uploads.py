"""Hostile or broken workbooks uploaded on the import pages: one message, nothing kept."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.builders import job_page, make_user, upload, written_state
from tests.core.test_hostile_xml import BROKEN, PASSWD, VARIANTS, hostile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("quantri", "admin"))
    return client


def database_text() -> str:
    out = io.StringIO()
    call_command("dumpdata", "core", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", ["units", "period"])
def test_a_hostile_upload_gets_the_broken_file_message_and_nothing_is_kept(
    kind, variant, admin_client, settings
):
    before = written_state()
    response = job_page(
        admin_client,
        admin_client.post(
            f"/imports/{kind}/", {"file": upload("tep.xlsx", hostile(kind, variant).getvalue())}
        ),
    )
    html = response.content.decode()
    assert response.context["job"].status == "failed"
    assert "Tệp có 1 lỗi; chưa nhập gì." in html and BROKEN in html
    assert "Xác nhận nhập" not in html and PASSWD not in html
    staged = Path(settings.MEDIA_ROOT) / "imports"
    assert not staged.exists() or not any(staged.iterdir())
    assert written_state() == before
    assert PASSWD not in database_text()
