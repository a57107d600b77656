from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/<int:year>/", views.year_page, name="year"),
    path("<int:pk>/<int:year>/table2/", views.save_table2, name="table2"),
    path("<int:pk>/<int:year>/narrative/", views.save_narrative, name="narrative"),
    path("<int:pk>/<int:year>/close/", views.close, name="close"),
    path("<int:pk>/<int:year>/publish/", views.publish, name="publish"),
    path("<int:pk>/<int:year>/download/<str:fmt>/", views.download, name="download"),
]
