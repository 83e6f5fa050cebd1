import pytest

from tests.builders import Persona, make_user


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files without the collectstatic manifest the production storage needs."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):
    """django-axes needs the request on every login; tests log in directly. Its own test
    switches it back on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages of one test must never answer another (ids repeat across tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Evidence files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    """The demo province (TP.HCM 2021 and 2022, published)."""
    from parindex.core.demo import load_demo

    load_demo()


@pytest.fixture
def personas(db):
    """One user per role; officers belong to the units given by the tests that need them."""
    return {
        Persona.REVIEWER: make_user("thamdinh", "reviewer"),
        Persona.APPROVER: make_user("pheduyet", "approver"),
        Persona.LEADER: make_user("lanhdao", "leader"),
        Persona.ADMIN: make_user("quantri", "admin"),
    }
