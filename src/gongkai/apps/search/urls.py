from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_list, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]
