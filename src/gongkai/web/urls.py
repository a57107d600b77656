from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongkai.apps.administration.views import PasswordChange
from gongkai.web.login import LoginView

admin.site.site_header = "公开 · 政府信息公开工作平台"
admin.site.site_title = "公开"
admin.site.index_title = "管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChange.as_view(),
         name="password_change"),
    path("accounts/password/done/",
         auth_views.PasswordChangeDoneView.as_view(template_name="desk/password_change_done.html"),
         name="password_change_done"),
    path("letters/", include("gongkai.apps.letters.urls")),
    path("reports/", include("gongkai.apps.reports.urls")),
    path("appeals/", include("gongkai.apps.appeals.urls")),
    path("signoff/", include("gongkai.apps.signoff.urls")),
    path("notices/", include("gongkai.apps.notices.urls")),
    path("holidays/", include("gongkai.apps.holidays.urls")),
    path("search/", include("gongkai.apps.search.urls")),
    path("catalogue/", include("gongkai.apps.catalogue.urls")),
    path("public/", include("gongkai.apps.online.urls")),
    path("public/", include("gongkai.apps.portal.urls")),
    path("supervision/", include("gongkai.apps.supervision.urls")),
    path("applicant-messages/", include("gongkai.apps.online.staff_urls")),
    path("manage/", include("gongkai.apps.administration.urls")),
    path("imports/", include("gongkai.apps.ledger.urls")),
    path("", include("gongkai.apps.desk.urls")),
]

# Error pages in Chinese, in the public or staff layout (gongkai.web.errors).
handler400 = "gongkai.web.errors.bad_request"
handler403 = "gongkai.web.errors.permission_denied"
handler404 = "gongkai.web.errors.page_not_found"
handler500 = "gongkai.web.errors.server_error"
