from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
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
