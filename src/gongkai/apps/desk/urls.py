from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("lists/<slug:key>/", views.worklist, name="worklist"),
    path("lists/<slug:key>/ledger.xlsx", views.worklist_export, name="worklist_export"),
    path("cases/new/", views.register, name="register"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/steps/<slug:event>/", views.step, name="step"),
    path("cases/<int:pk>/edit/", views.edit, name="edit"),
    path("cases/<int:pk>/id-number/", views.reveal_id, name="reveal_id"),
    path("cases/<int:pk>/handler/", views.assign, name="assign"),
    path("cases/<int:pk>/attachments/", views.attach, name="attach"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("cases/<int:pk>/attachments/<int:attachment_pk>/release/", views.release, name="release"),
]
