from django.urls import path

from . import dashboard

app_name = "supervision"
urlpatterns = [
    path("", dashboard.region, name="region"),
    path("compare/", dashboard.compare, name="compare"),
    path("indicators/", dashboard.indicators, name="indicators"),
]
