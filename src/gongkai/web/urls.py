from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "公开 · 政府信息公开工作平台"
admin.site.site_title = "公开"
admin.site.index_title = "管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("letters/", include("gongkai.apps.letters.urls")),
    path("reports/", include("gongkai.apps.reports.urls")),
    path("appeals/", include("gongkai.apps.appeals.urls")),
    path("signoff/", include("gongkai.apps.signoff.urls")),
    path("catalogue/", include("gongkai.apps.catalogue.urls")),
    path("public/", include("gongkai.apps.portal.urls")),
    path("", include("gongkai.apps.desk.urls")),
]
