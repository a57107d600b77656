from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("<slug:kind>/", views.start, name="start"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/import/", views.run, name="run"),
]
