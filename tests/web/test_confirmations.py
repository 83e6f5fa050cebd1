"""Steps that cannot be undone ask first: a page without script, the same text in a dialog."""

from datetime import timedelta
from html import unescape

import pytest

from parindex.core import clock
from parindex.core.models import Assessment, AssessmentStatus, Evidence, Period, PeriodStatus
from parindex.core.services.appraisal import appraise_leaf, return_for_explanation
from parindex.core.services.assessments import add_evidence, save_self_score, submit_assessment
from parindex.core.services.results import finalise_period
from parindex.web.confirmations import CONFIRMATIONS
from tests.builders import (
    PDF_BYTES,
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    open_period,
    run_jobs,
    upload,
)

pytestmark = pytest.mark.django_db
A = "/assessments/2023/A/"


def scored_draft():
    """Unit A's complete draft; its officer and its head."""
    period = open_period(2023)
    unit = make_unit("A")
    assessment = assess(period, unit, status=AssessmentStatus.DRAFT)
    officer = make_user("canbo", "officer", unit)
    head = make_user("lanhdao", "unit_head", unit)
    for code, points in [("1.1", "20"), ("1.2.1", "30"), ("1.2.2", "0")]:
        save_self_score(
            assessment, leaf_of(period, code), by=officer, points_text=points, note="n", revision=0
        )
    return assessment, officer, head


def submitted():
    assessment, _officer, head = scored_draft()
    submit_assessment(assessment, by=head)
    return assessment, head


def status_of(assessment):
    return Assessment.objects.get(pk=assessment.pk).status


def period_status():
    return Period.objects.get(year=2023).status


# Each case: (user, url, data, the check that the step happened).
def case_submit():
    assessment, _officer, head = scored_draft()

    def done():
        return status_of(assessment) == AssessmentStatus.SUBMITTED

    return head, A + "submit/", {}, done


def case_send_explanation():
    assessment, head = submitted()
    reviewer = make_user("thamdinh", "reviewer")
    leaf = leaf_of(assessment.period, "1.1")
    appraise_leaf(assessment, leaf, by=reviewer, points_text="10", note="Chậm", revision=1)
    return_for_explanation(assessment, by=reviewer, deadline=clock.today() + timedelta(days=3))

    def done():
        return status_of(assessment) == AssessmentStatus.EXPLAINED

    return head, A + "send-explanation/", {}, done


def case_close_appraisal():
    assessment, _head = submitted()

    def done():
        return status_of(assessment) == AssessmentStatus.APPRAISED

    return make_user("thamdinh", "reviewer"), A + "finalise/", {}, done


def case_delete_evidence():
    assessment, officer, _head = scored_draft()
    leaf = leaf_of(assessment.period, "1.1")
    evidence = add_evidence(assessment, leaf, by=officer, file=upload("bc.pdf", PDF_BYTES))

    def done():
        return not Evidence.objects.filter(pk=evidence.pk).exists()

    return officer, A + f"evidence/{evidence.pk}/delete/", {}, done


def appraised_period():
    period = make_period(2023)
    assess(period, make_unit("A"), full_scores(60, 30))
    return period, make_user("pheduyet", "approver")


def case_finalise():
    _period, approver = appraised_period()

    def done():
        return period_status() == PeriodStatus.FINALISED

    return approver, "/review/2023/finalise/", {}, done


def case_publish():
    period, approver = appraised_period()
    finalise_period(period, by=approver)

    def done():
        run_jobs()  # publishing runs in the worker
        return period_status() == PeriodStatus.PUBLISHED

    return approver, "/review/2023/publish/", {"decision_number": "12/QĐ-UBND"}, done


CASES = {
    "submit": (case_submit, A),
    "send_explanation": (case_send_explanation, A),
    "close_appraisal": (case_close_appraisal, A + "appraise/"),
    "delete_evidence": (case_delete_evidence, A + "#leaf-1.1"),
    "finalise": (case_finalise, "/review/2023/"),
    "publish": (case_publish, "/review/2023/"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_without_confirmation_the_page_says_what_will_happen_and_nothing_changes(client, name):
    build, back = CASES[name]
    user, url, data, done = build()
    client.force_login(user)
    response = client.post(url, data)
    html = unescape(response.content.decode())
    confirmation = CONFIRMATIONS[name]
    assert response.status_code == 200
    for text in (confirmation.question, confirmation.effect, confirmation.audience):
        assert str(text) in html
    assert f'<form method="post" action="{url}"' in html
    assert '<input type="hidden" name="confirmed" value="1">' in html
    for field, value in data.items():
        assert f'<input type="hidden" name="{field}" value="{value}">' in html
    assert f'<a href="{back}" class="button secondary">Quay lại</a>' in html
    assert not done()


@pytest.mark.parametrize("name", sorted(CASES))
def test_with_confirmation_the_step_happens(client, name):
    build, _back = CASES[name]
    user, url, data, done = build()
    client.force_login(user)
    response = client.post(url, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert done()


def test_only_who_may_act_is_asked(client):
    _assessment, officer, _head = scored_draft()
    client.force_login(officer)  # an officer enters; only the head submits
    assert client.post(A + "submit/").status_code == 403
    client.force_login(make_user("canbo.b", "officer", make_unit("B")))
    assert client.post(A + "submit/").status_code == 404


def test_publishing_without_a_decision_number_is_refused_before_asking(client):
    user, url, _data, done = case_publish()
    client.force_login(user)
    response = client.post(url, {}, follow=True)
    assert "Nhập số quyết định công bố." in response.content.decode()
    assert not done()


def test_the_forms_carry_the_same_question_for_the_dialog(client):
    assessment, officer, head = scored_draft()
    client.force_login(officer)
    leaf = leaf_of(assessment.period, "1.1")
    add_evidence(assessment, leaf, by=officer, file=upload("bc.pdf", PDF_BYTES))
    html = unescape(client.get(A).content.decode())
    assert 'data-confirm="Xóa tệp kiểm chứng?"' in html and 'data-confirm-subject="bc.pdf"' in html
    client.force_login(head)
    html = unescape(client.get(A).content.decode())
    assert f'data-confirm="{CONFIRMATIONS["submit"].question}"' in html
    assert f'data-confirm-effect="{CONFIRMATIONS["submit"].effect}"' in html
    assert 'id="confirm-dialog"' in html and "js/confirm.js" in html


def test_the_close_appraisal_form_asks_in_the_dialog(client):
    submitted()
    client.force_login(make_user("thamdinh", "reviewer"))
    html = unescape(client.get(A + "appraise/").content.decode())
    assert f'data-confirm="{CONFIRMATIONS["close_appraisal"].question}"' in html
