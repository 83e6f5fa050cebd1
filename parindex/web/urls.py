from django.urls import path

from parindex.web.views import home, rankings

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("rankings/<int:year>/", rankings.period_groups, name="rankings"),
    path("rankings/<int:year>/<str:group_code>/", rankings.group_table, name="ranking-group"),
]
