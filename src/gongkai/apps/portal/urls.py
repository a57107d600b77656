from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("deadline/", views.deadline, name="deadline"),
]

# Online applications (网上申请): the form, the receipt, the tracking page.
from . import apply_views  # noqa: E402

urlpatterns += [
    path("apply/", apply_views.apply, name="apply"),
    path("apply/receipt/", apply_views.receipt, name="apply_receipt"),
    path("track/", apply_views.track, name="track"),
]
