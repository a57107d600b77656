from django.urls import path

app_name = "appeals"
urlpatterns: list = []
