from django.urls import path, register_converter

from parindex.web.converters import CodeConverter
from parindex.web.views import (
    accounts,
    appraisal,
    assessments,
    dashboards,
    decisions,
    excel,
    groups,
    health,
    home,
    inbox,
    jobs,
    lostpoints,
    rankings,
    review,
    team,
    todo,
)

app_name = "web"
register_converter(CodeConverter, "code")  # unit and group codes (core/codes.py)

ASSESSMENT = "assessments/<int:year>/<code:unit_code>/"
ACCOUNT = "accounts/<int:user_id>/"
GROUP = "review/<int:year>/groups/<code:group_code>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("todo/", todo.todo, name="todo"),
    path("dashboard/", dashboards.latest_dashboard, name="dashboard-latest"),
    path("dashboard/<int:year>/", dashboards.period_dashboard, name="dashboard"),
    path("units/<code:unit_code>/", dashboards.unit_profile, name="unit-profile"),
    path("trends/", dashboards.trends, name="trends"),
    path("rankings/<int:year>/", rankings.period_groups, name="rankings"),
    path("rankings/<int:year>/<code:group_code>/", rankings.group_table, name="ranking-group"),
    path("assessments/", assessments.index, name="assessments"),
    path(ASSESSMENT, assessments.entry, name="assessment"),
    path(ASSESSMENT + "leaf/<str:code>/", assessments.save_leaf, name="leaf-save"),
    path(ASSESSMENT + "totals/", assessments.totals, name="assessment-totals"),
    path(
        ASSESSMENT + "leaf/<str:code>/evidence/",
        assessments.upload_evidence,
        name="evidence-upload",
    ),
    path(
        ASSESSMENT + "evidence/<int:evidence_id>/",
        assessments.download_evidence,
        name="evidence-download",
    ),
    path(
        ASSESSMENT + "evidence/<int:evidence_id>/delete/",
        assessments.delete_evidence,
        name="evidence-delete",
    ),
    path(ASSESSMENT + "submit/", assessments.submit, name="assessment-submit"),
    path(ASSESSMENT + "withdraw/", assessments.withdraw, name="assessment-withdraw"),
    path(ASSESSMENT + "appraise/", appraisal.appraise, name="appraise"),
    path(ASSESSMENT + "appraise/<str:code>/", appraisal.appraise_leaf, name="appraise-leaf"),
    path(ASSESSMENT + "appraisal-totals/", appraisal.appraisal_totals, name="appraisal-totals"),
    path(ASSESSMENT + "return/", appraisal.return_assessment, name="assessment-return"),
    path(ASSESSMENT + "finalise/", appraisal.finalise_assessment, name="assessment-finalise"),
    path(ASSESSMENT + "explain/<str:code>/", appraisal.explain_leaf, name="explain-leaf"),
    # The appraisal team (views/team.py): a reviewer's part done, a leaf's comment thread.
    path(ASSESSMENT + "part-done/", team.mark_part_done, name="appraisal-part-done"),
    path(ASSESSMENT + "leaf/<str:code>/comment/", team.comment, name="leaf-comment"),
    path(ASSESSMENT + "send-explanation/", appraisal.send_explanation, name="explanation-send"),
    # Decisions on one unit (its appraisal page's "Quyết định về đơn vị" panel).
    path(ASSESSMENT + "extend/", decisions.extend, name="assessment-extend"),
    path(ASSESSMENT + "appraise-late/", decisions.appraise_late, name="assessment-appraise-late"),
    path(ASSESSMENT + "reopen/", decisions.reopen, name="assessment-reopen"),
    path(ASSESSMENT + "ranking/", decisions.ranking, name="assessment-ranking"),
    path(ASSESSMENT + "lost/", lostpoints.lost, name="lost-points"),
    path(ASSESSMENT + "remediation/", lostpoints.save_remediation, name="remediation-save"),
    path(ASSESSMENT + "scorecard.xlsx", excel.scorecard, name="scorecard"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:notification_id>/", inbox.open_notification, name="inbox-open"),
    path("inbox/read-all/", inbox.read_all, name="inbox-read-all"),
    path("inbox/settings/", inbox.email_settings, name="inbox-settings"),
    path("imports/", excel.index, name="imports"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<uuid:job_id>/", jobs.job, name="job"),
    path("jobs/<uuid:job_id>/progress/", jobs.progress, name="job-progress"),
    path("jobs/<uuid:job_id>/file/", jobs.job_file, name="job-file"),
    path("imports/<str:kind>/", excel.upload, name="import-upload"),
    path("imports/<str:kind>/confirm/", excel.confirm, name="import-confirm"),
    path("imports/<str:kind>/template.xlsx", excel.template, name="import-template"),
    path("review/<int:year>/workbook.xlsx", excel.period_workbook, name="period-workbook"),
    path("review/", review.review_home, name="review"),
    path("review/<int:year>/", review.queue, name="review-queue"),
    path("review/<int:year>/progress/", todo.progress, name="review-progress"),
    path("review/<int:year>/adjustments/", review.adjustments, name="adjustments"),
    path("review/<int:year>/team/", team.team, name="period-team"),
    path(
        "review/<int:year>/team/<int:assignment_id>/remove/",
        team.remove_assignment,
        name="assignment-remove",
    ),
    path("review/<int:year>/finalise/", review.finalise, name="period-finalise"),
    path("review/<int:year>/publish/", review.publish, name="period-publish"),
    path("review/<int:year>/export/", jobs.export_period, name="period-export"),
    path("review/<int:year>/compute/", jobs.compute_period, name="period-compute"),
    path("review/<int:year>/correct/", review.correct, name="period-correct"),
    # Each group of a period on its own, and the period's settings (the queue's group box).
    path("review/<int:year>/settings/", groups.settings, name="period-settings"),
    path(GROUP + "finalise/", groups.finalise, name="group-finalise"),
    path(GROUP + "publish/", groups.publish, name="group-publish"),
    path(GROUP + "ranking/", groups.ranking, name="group-ranking"),
    path("review/adjustments/<int:adjustment_id>/decide/", review.decide, name="adjustment-decide"),
    path(
        "review/adjustments/<int:adjustment_id>/file/",
        review.adjustment_file,
        name="adjustment-file",
    ),
    # The administrator's accounts page (login, logout and passwords are in parindex/urls.py).
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/new/", accounts.account_create, name="account-create"),
    path(ACCOUNT, accounts.account_edit, name="account"),
    path(ACCOUNT + "deactivate/", accounts.account_deactivate, name="account-deactivate"),
    path(ACCOUNT + "reactivate/", accounts.account_reactivate, name="account-reactivate"),
    path(ACCOUNT + "send-link/", accounts.account_send_link, name="account-send-link"),
    path("accounts/import/", accounts.accounts_import, name="accounts-import"),
    path(
        "accounts/import/confirm/", accounts.accounts_import_confirm, name="accounts-import-confirm"
    ),
    path(
        "accounts/import/template.xlsx",
        accounts.accounts_import_template,
        name="accounts-import-template",
    ),
]
