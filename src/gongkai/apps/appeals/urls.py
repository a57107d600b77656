from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.index, name="index"),
    path("application/<int:pk>/review/new/", views.add, {"what": "review"}, name="add_review"),
    path("application/<int:pk>/lawsuit/new/", views.add, {"what": "lawsuit"}, name="add_lawsuit"),
    path("active/review/new/", views.add_active, {"what": "review"}, name="add_active_review"),
    path("active/lawsuit/new/", views.add_active, {"what": "lawsuit"}, name="add_active_lawsuit"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
