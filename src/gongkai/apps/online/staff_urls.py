"""Staff pages of online applications (login required): under /applicant-messages/."""

from django.urls import path

from . import staff_views

app_name = "online_staff"
urlpatterns = [
    path("<int:pk>/resend/", staff_views.resend, name="resend"),
]
