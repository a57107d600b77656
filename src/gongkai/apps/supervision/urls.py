from django.urls import path

from . import dashboard, views

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
]
