from django.urls import path

from . import dashboard, office_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", dashboard.region, name="region"),
    path("<int:pk>/compare/", dashboard.compare, name="compare"),
    path("indicators/", dashboard.indicators, name="indicators"),
    path("<int:pk>/reports/", views.reports, name="reports"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/collect/", views.collect, name="collect"),
    path("<int:pk>/recheck/", views.recheck, name="recheck"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/requeue/", views.requeue, name="requeue"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("submissions/", office_views.submissions, name="submissions"),
    path("submissions/<int:pk>/<str:decision>/", office_views.decide, name="decide"),
    path("submit/<int:pk>/<int:year>/", office_views.submit, name="submit"),
    path("notices/", office_views.notices, name="notices"),
    path("notices/send/<int:pk>/", office_views.send_notice, name="send_notice"),
    path("notices/<int:pk>/answer/", office_views.answer_notice, name="answer_notice"),
    path("notices/<int:pk>/close/", office_views.close_notice, name="close_notice"),
    path("export/", office_views.export, name="export"),
    path("bulletin/", office_views.bulletin, name="bulletin"),
]
