from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.index, name="index"),
    path("read/", views.mark_read, name="read"),
    path("<int:pk>/open/", views.open_notice, name="open"),
]
