from django.urls import path

from . import views

app_name = "administration"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("staff/", views.staff_index, name="staff"),
    path("staff/agency/<int:pk>/", views.agency_staff, name="agency_staff"),
    path("staff/agency/<int:pk>/new/", views.account_new, name="account_new"),
    path("staff/<int:pk>/", views.account, name="account"),
    path("staff/<int:pk>/roles/", views.account_roles, name="account_roles"),
    path("staff/<int:pk>/details/", views.account_details, name="account_details"),
    path("staff/<int:pk>/active/", views.account_active, name="account_active"),
    path("staff/<int:pk>/password/", views.account_password, name="account_password"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/move/", views.agency_move, name="agency_move"),
    path("intake/", views.intake, name="intake"),
    path("intake/<int:pk>/", views.intake_edit, name="intake_edit"),
]
