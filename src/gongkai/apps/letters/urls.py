from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.index, name="index"),
    path("application/<int:application_pk>/issue/<str:kind>/", views.issue, name="issue"),
    path("letter/<int:pk>/", views.download, name="download"),
    path("letter/<int:pk>/pdf/", views.download_pdf, name="download_pdf"),
    path("agency/<int:agency_pk>/templates/", views.templates, name="templates"),
    path("agency/<int:agency_pk>/templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("agency/<int:agency_pk>/settings/", views.settings_edit, name="settings"),
]
