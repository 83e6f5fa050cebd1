"""The rules of published results cannot be changed in the admin; earlier changes are audited.

Issue 16: an administrator changed the caps of the criteria set of published years and renamed
and moved a published grade band in the Django admin, with nothing in the audit trail.
"""

from decimal import Decimal as D

import pytest

from parindex.core.models import (
    AuditEntry,
    CriteriaSet,
    GradeBand,
    Period,
    PeriodGroup,
)
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.results import finalise_group, publish_group
from tests.builders import PASSWORD, assess, full_scores, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user("quantri", "admin")
    user.is_staff = user.is_superuser = True
    user.save()
    client.login(username="quantri", password=PASSWORD)
    return client


@pytest.fixture
def period():
    """2022 with the departments (SO) published and the districts (QH) still open."""
    period = make_period(2022, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("Q", "QH"), full_scores(50, 30))
    so = PeriodGroup.objects.get(period=period, group__code="SO")
    finalise_group(period, so.group_id)
    publish_group(period, so.group_id, decision_number="12/QĐ-UBND")
    return period


def change_url(obj) -> str:
    return f"/admin/core/{obj._meta.model_name}/{obj.pk}/change/"


def form_data(client, url) -> dict:
    """The data the admin change form at ``url`` posts when nothing is touched."""
    context = client.get(url).context
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[form.add_prefix(name)] = str(value)

    add(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            add(form)
    return data


def inline_row(data, prefix, field, value) -> str:
    """Return the field prefix (``gradeband_set-N``) of the inline row whose ``field`` is
    ``value``."""
    for key, stored in data.items():
        if key.startswith(prefix) and key.endswith(f"-{field}") and stored == str(value):
            return key.rsplit("-", 1)[0]
    raise AssertionError(f"no row with {field}={value}")


def bands(period, code):
    return sorted(
        GradeBand.objects.filter(period=period, group__code=code).values_list(
            "label", "lower_bound"
        )
    )


def test_a_published_groups_band_cannot_be_renamed_moved_or_deleted_in_the_admin(
    admin_client, period
):
    url = change_url(period)
    data = form_data(admin_client, url)
    so = PeriodGroup.objects.get(period=period, group__code="SO").group_id
    tot = GradeBand.objects.get(period=period, group_id=so, label="Tốt")
    row = inline_row(data, "grade_bands-", "id", tot.pk)
    data |= {f"{row}-label": "Xuất sắc", f"{row}-lower_bound": "95"}
    kha = GradeBand.objects.get(period=period, group_id=so, label="Khá")
    data[f"{inline_row(data, 'grade_bands-', 'id', kha.pk)}-DELETE"] = "on"
    before = bands(period, "SO")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert bands(period, "SO") == before
    page = admin_client.get(url).content.decode()
    assert "Khối đã công bố kết quả" in page


def test_a_band_cannot_be_added_to_a_published_group_in_the_admin(admin_client, period):
    url = change_url(period)
    data = form_data(admin_client, url)
    so = PeriodGroup.objects.get(period=period, group__code="SO").group_id
    new = f"grade_bands-{data['grade_bands-TOTAL_FORMS']}"
    data["grade_bands-TOTAL_FORMS"] = str(int(data["grade_bands-TOTAL_FORMS"]) + 1)
    data |= {
        f"{new}-group": str(so),
        f"{new}-label": "Xuất sắc",
        f"{new}-lower_bound": "95",
        f"{new}-color": "#000000",
    }
    before = bands(period, "SO")

    response = admin_client.post(url, data)

    assert response.status_code == 200  # the form comes back with the reason
    assert "Khối đã công bố kết quả" in response.content.decode()
    assert bands(period, "SO") == before


def test_a_published_groups_criteria_set_and_ranking_cannot_be_changed_in_the_admin(
    admin_client, period
):
    other, _ = load_criteria_set({**_small(), "name": "Bộ khác"})
    url = change_url(period)
    data = form_data(admin_client, url)
    so = PeriodGroup.objects.get(period=period, group__code="SO")
    row = inline_row(data, "period_groups-", "id", so.pk)
    data[f"{row}-criteria_set"] = str(other.pk)
    data.pop(f"{row}-ranked", None)
    data[f"{row}-DELETE"] = "on"

    admin_client.post(url, data)

    stored = PeriodGroup.objects.get(pk=so.pk)
    assert (stored.criteria_set_id, stored.ranked) == (so.criteria_set_id, True)


def test_a_criteria_set_used_by_a_published_group_is_read_only_in_the_admin(admin_client, period):
    criteria_set = PeriodGroup.objects.get(period=period, group__code="SO").criteria_set
    url = change_url(criteria_set)
    data = form_data(admin_client, url) | {"bonus_cap": "9", "deduction_cap": "0"}

    assert admin_client.post(url, data).status_code == 403
    page = admin_client.get(url).content.decode()
    assert "đã dùng cho kết quả đã công bố" in page
    delete = f"/admin/core/criteriaset/{criteria_set.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    stored = CriteriaSet.objects.get(pk=criteria_set.pk)
    assert (stored.bonus_cap, stored.deduction_cap) == (D("3"), D("5"))


def test_a_period_with_a_published_group_cannot_be_deleted_in_the_admin(admin_client, period):
    response = admin_client.post(f"/admin/core/period/{period.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Period.objects.filter(pk=period.pk).exists()


def test_an_open_groups_band_change_in_the_admin_is_audited_old_to_new(admin_client, period):
    url = change_url(period)
    data = form_data(admin_client, url)
    qh = PeriodGroup.objects.get(period=period, group__code="QH").group_id
    tot = GradeBand.objects.get(period=period, group_id=qh, label="Tốt")
    data[f"{inline_row(data, 'grade_bands-', 'id', tot.pk)}-lower_bound"] = "85"
    kha = GradeBand.objects.get(period=period, group_id=qh, label="Khá")
    data[f"{inline_row(data, 'grade_bands-', 'id', kha.pk)}-DELETE"] = "on"

    assert admin_client.post(url, data).status_code == 302

    assert bands(period, "QH") == [("Tốt", D("85"))]
    changed = AuditEntry.objects.get(action="grade_band.changed")
    assert (changed.period, changed.actor.username) == (period, "quantri")
    assert changed.changes == {"lower_bound": ["80", "85"]}
    deleted = AuditEntry.objects.get(action="grade_band.deleted")
    assert deleted.changes["label"] == ["Khá", ""]


def test_caps_of_a_set_no_published_group_uses_change_in_the_admin_with_an_audit_entry(
    admin_client,
):
    criteria_set, _ = load_criteria_set(_small())
    url = change_url(criteria_set)
    data = form_data(admin_client, url) | {"bonus_cap": "4"}

    assert admin_client.post(url, data).status_code == 302

    assert CriteriaSet.objects.get(pk=criteria_set.pk).bonus_cap == D("4")
    entry = AuditEntry.objects.get(action="criteria_set.changed")
    assert entry.changes == {"bonus_cap": ["3", "4"]}
    assert entry.object_id == str(criteria_set.pk)


def _small():
    from tests.builders import small_criteria_data

    return small_criteria_data()
