"""Online applications (网上申请) under /public/: the form, the receipt, the tracking page, and the
public deadline calculator (what an applicant needs to know before and after applying)."""

from django.urls import path

from . import apply_views, views

app_name = "online"
urlpatterns = [
    path("apply/", apply_views.apply, name="apply"),
    path("apply/receipt/", apply_views.receipt, name="apply_receipt"),
    path("track/", apply_views.track, name="track"),
    path("deadline/", views.deadline, name="deadline"),
]
