from django.urls import path

from . import dashboard, views

app_name = "supervision"
urlpatterns = [
    path("", dashboard.region, name="region"),
    path("compare/", dashboard.compare, name="compare"),
    path("indicators/", dashboard.indicators, name="indicators"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:pk>/<str:decision>/", views.decide, name="decide"),
    path("submit/<int:pk>/<int:year>/", views.submit, name="submit"),
    path("notices/", views.notices, name="notices"),
    path("notices/send/<int:pk>/", views.send_notice, name="send_notice"),
    path("notices/<int:pk>/answer/", views.answer_notice, name="answer_notice"),
    path("notices/<int:pk>/close/", views.close_notice, name="close_notice"),
    path("export/", views.export, name="export"),
    path("bulletin/", views.bulletin, name="bulletin"),
]
