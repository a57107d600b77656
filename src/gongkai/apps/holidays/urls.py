from django.urls import path

from . import views

app_name = "holidays"
urlpatterns = [
    path("", views.index, name="index"),
    path("notice/", views.notice, name="notice"),
    path("<int:year>/", views.year, name="year"),
]
