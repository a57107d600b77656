from django.urls import path

from . import views

app_name = "signoff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("application/<int:application_pk>/", views.case, name="case"),
    path("application/<int:application_pk>/draft/", views.draft, name="draft"),
    path("draft/<int:pk>/review/", views.review, name="review"),
    path("draft/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("agency/<int:agency_pk>/settings/", views.settings_edit, name="settings"),
]
