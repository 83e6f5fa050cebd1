from django.urls import path

from parindex.web.views import assessments, home, rankings

app_name = "web"

ASSESSMENT = "assessments/<int:year>/<str:unit_code>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("rankings/<int:year>/", rankings.period_groups, name="rankings"),
    path("rankings/<int:year>/<str:group_code>/", rankings.group_table, name="ranking-group"),
    path("assessments/", assessments.index, name="assessments"),
    path(ASSESSMENT, assessments.entry, name="assessment"),
    path(ASSESSMENT + "leaf/<str:code>/", assessments.save_leaf, name="leaf-save"),
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
]
