from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.create, name="create"),
    path("queue/", views.queue, name="queue"),
    path("late/", views.late, name="late"),
    path("links/", views.links, name="links"),
    path("words/", views.words, name="words"),
    path("setup/", views.setup, name="setup"),
    path("setup/settings/", views.save_settings, name="settings"),
    path("setup/guide/", views.save_guide, name="guide"),
    path("setup/categories/", views.add_category, name="add_category"),
    path("setup/preset/", views.load_preset, name="preset"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/edit/", views.edit, name="edit"),
    path("items/<int:pk>/submit/", views.submit, name="submit"),
    path("items/<int:pk>/allow-words/", views.allow_words, name="allow_words"),
    path("items/<int:pk>/approve/", views.approve, name="approve"),
    path("items/<int:pk>/reject/", views.reject, name="reject"),
    path("items/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("items/<int:pk>/validity/", views.validity, name="validity"),
    path("items/<int:pk>/attachments/", views.attach, name="attach"),
    path("items/<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
