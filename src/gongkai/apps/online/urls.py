"""Online applications (网上申请) under /public/: the form, the receipt, the tracking page (its downloads, the
recovery of a lost code), and the
public deadline calculator (what an applicant needs to know before and after applying)."""

from django.urls import path

from . import apply_views, views

app_name = "online"
urlpatterns = [
    path("apply/", apply_views.apply, name="apply"),
    path("apply/receipt/", apply_views.receipt, name="apply_receipt"),
    path("track/", apply_views.track, name="track"),
    path("track/end/", apply_views.track_end, name="track_end"),
    path("track/recover/", apply_views.recover, name="recover"),
    path("track/letters/<int:pk>/<str:fmt>/", apply_views.download_letter, name="download_letter"),
    path("track/documents/<int:pk>/", apply_views.download_document, name="download_document"),
    path("deadline/", views.deadline, name="deadline"),
]
