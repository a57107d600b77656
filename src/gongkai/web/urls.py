from django.contrib import admin
from django.urls import path

admin.site.site_header = "公开 · 政府信息公开工作平台"
admin.site.site_title = "公开"
admin.site.index_title = "管理"

urlpatterns = [
    path("admin/", admin.site.urls),
]
