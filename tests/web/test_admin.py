"""The admin opens for every model, and criteria and the audit trail stay read-only there."""

import pytest
from django.contrib import admin

from parindex.core.models import AuditEntry, Criterion
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(demo, client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    client.login(username="root", password=PASSWORD)
    return client


def test_every_admin_changelist_opens(admin_client_demo):
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert admin_client_demo.get(url).status_code == 200, url


@pytest.mark.parametrize("model", [Criterion, AuditEntry])
def test_criteria_and_audit_entries_cannot_be_changed_in_the_admin(admin_client_demo, model):
    obj = model.objects.first()
    url = f"/admin/core/{model._meta.model_name}/{obj.pk}/change/"
    response = admin_client_demo.post(url, {})
    assert response.status_code == 403
    assert admin_client_demo.get(f"/admin/core/{model._meta.model_name}/add/").status_code == 403
