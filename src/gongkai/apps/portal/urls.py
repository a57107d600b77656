"""The public disclosure column under /public/: agencies, guide, catalogue, items, annual reports,
search, feeds, API. Online applications and the deadline calculator are ``gongkai.apps.online``
(same prefix, namespace ``online:``)."""

from django.urls import path

from . import api, catalogue_views, feeds

app_name = "portal"
urlpatterns = [
    path("", catalogue_views.home, name="home"),
    path("search/", catalogue_views.search, name="search"),
    path("items/<int:pk>/", catalogue_views.item, name="item"),
    path("items/<int:pk>/attachments/<int:attachment>/", catalogue_views.item_attachment, name="item_attachment"),
    path("agencies/<int:agency>/", catalogue_views.agency, name="agency"),
    path("agencies/<int:agency>/guide/", catalogue_views.guide, name="guide"),
    path("agencies/<int:agency>/rules/", catalogue_views.disclosure_rules, name="rules"),
    path("agencies/<int:agency>/on-request/", catalogue_views.on_request, name="agency_on_request"),
    path("on-request/", catalogue_views.on_request, name="on_request"),
    path("column/<str:section>/", catalogue_views.region_section, name="region_section"),
    path("agencies/<int:agency>/catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("agencies/<int:agency>/catalogue/<int:category>/", catalogue_views.catalogue, name="category"),
    path("agencies/<int:agency>/reports/", catalogue_views.annual_reports, name="reports"),
    path("agencies/<int:agency>/reports/<int:year>/", catalogue_views.annual_report, name="report"),
    path("agencies/<int:agency>/reports/<int:year>/v<int:number>/", catalogue_views.annual_report,
         name="report_version"),
    path("agencies/<int:agency>/reports/<int:year>/v<int:number>/<str:fmt>/", catalogue_views.annual_report_download,
         name="report_version_download"),
    path("agencies/<int:agency>/reports/<int:year>/<str:fmt>/", catalogue_views.annual_report_download,
         name="report_download"),
    path("feed/", feeds.ItemsFeed(), name="feed"),
    path("agencies/<int:agency>/feed/", feeds.AgencyItemsFeed(), name="agency_feed"),
    path("api/items", api.items, name="api_items"),
    path("api/items/<int:pk>", api.item, name="api_item"),
    path("api/categories", api.categories, name="api_categories"),
    path("api/agencies", api.agencies, name="api_agencies"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("api/reports", api.reports, name="api_reports"),
    path("api/reports/<int:agency>/<int:year>", api.report, name="api_report"),
    path("api/reports/<int:agency>/<int:year>/csv", api.report_csv, name="api_report_csv"),
    path("api/", api.api_docs, name="api_docs"),
]
