"""The JSON API of published items (read-only, no login), described by the OpenAPI 3.1 document
``OPENAPI`` served at ``api/openapi.json``. Items that are not published are never returned."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from gongkai.apps.agencies.models import Agency
from gongkai.apps.catalogue.models import Category, Item
from gongkai.apps.params import BadParameter, integer
from gongkai.apps.search import services as search_services
from gongkai.core import standard
from gongkai.core.casework.catalogue import TOPIC_LABELS, TOPICS
from gongkai.core.casework.workdays import DeadlineError, parse_day
from gongkai.core.report.model import table_values
from gongkai.core.report.spreadsheet import safe_text

from . import published

TABLE_KEYS = ("active", "applications", "review_litigation")
PER_PAGE = 20
MAX_PER_PAGE = 100
CHINESE = {"ensure_ascii": False}


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params=CHINESE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(code: str, message: str, status: int) -> JsonResponse:
    return _json({"error": code, "message": message}, status)


def _integer(params, name: str, default: int | None = None, low: int = 1, high: int | None = None) -> int | None:
    return integer(params, name, default, low, high)


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _item_summary(request, item: Item) -> dict:
    return {
        "id": item.pk,
        "url": request.build_absolute_uri(reverse("portal:item", args=[item.pk])),
        "api_url": request.build_absolute_uri(reverse("portal:api_item", args=[item.pk])),
        "index_number": item.index_number,
        "title": item.title,
        "summary": item.summary,
        "document_number": item.document_number,
        "publisher": item.publisher,
        "agency": {"id": item.agency_id, "name": item.agency.name},
        "category": {"id": item.category_id, "name": item.category.name},
        "topic": item.topic,
        "topic_label": item.get_topic_display() if item.topic else "",
        "written_on": _date(item.written_on),
        "made_on": _date(item.made_on),
        "published_on": _date(item.published_on),
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "validity": item.validity,
        "validity_label": item.get_validity_display() if item.validity else "",
        "effective_on": _date(item.effective_on),
        "repealed_on": _date(item.repealed_on),
    }


def _link(request, item: Item) -> dict:
    return {"id": item.pk, "title": item.title,
            "url": request.build_absolute_uri(reverse("portal:item", args=[item.pk])),
            "api_url": request.build_absolute_uri(reverse("portal:api_item", args=[item.pk]))}


def _attachment(request, item: Item, attachment) -> dict:
    url = reverse("portal:item_attachment", args=[item.pk, attachment.pk])
    return {"name": attachment.name, "url": request.build_absolute_uri(url)}


def _page_links(request, page: int, pages: int) -> tuple[str | None, str | None]:
    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return (link(page + 1) if page < pages else None), (link(page - 1) if 1 < page <= pages + 1 else None)


def items(request):
    """Published items, newest first (or best first with ``q``), one page at a time."""
    params = request.GET
    try:
        agency_id = _integer(params, "agency")
        category_id = _integer(params, "category")
        page = _integer(params, "page", 1)
        per_page = _integer(params, "per_page", PER_PAGE, high=MAX_PER_PAGE)
        since_text = params.get("since", "").strip()
        since = parse_day(since_text, "参数 since") if since_text else None
        topic = params.get("topic", "").strip()
        if topic and topic not in TOPIC_LABELS:
            raise BadParameter("topic", f"参数 topic 应为主题分类的代码（{TOPICS[0][0]}—{TOPICS[-1][0]}），收到“{topic[:20]}”")
    except BadParameter as exc:
        return _error("invalid_parameter", str(exc), 400)
    except DeadlineError as exc:
        return _error("invalid_parameter", str(exc), 400)
    agencies = published.portal_agencies()
    if agency_id is not None:
        agencies = agencies.filter(pk=agency_id)
    category_ids = None
    if category_id is not None:
        category = Category.objects.filter(pk=category_id).first()
        category_ids = published.subtree_ids(category) if category else []
    text = params.get("q", "").strip()
    if text and topic:
        return _error("invalid_parameter", "参数 topic 不能与全文检索 q 同时使用：请只按主题分类列出，或者只检索", 400)
    if text:
        results = search_services.search(text, agency_ids=list(agencies.values_list("pk", flat=True)),
                                          category_ids=category_ids, since=since, page=page, per_page=per_page)
        found = [hit.item for hit in results.hits]
        count, capped, estimated, pages = results.total, results.more, results.estimated, results.pages
        page = results.page
    else:
        queryset = published.public_items().filter(agency__in=agencies)
        if category_ids is not None:
            queryset = queryset.filter(category_id__in=category_ids)
        if since is not None:
            queryset = queryset.filter(published_on__gte=since)
        if topic:
            queryset = queryset.filter(topic=topic)
        paginator = Paginator(queryset, per_page)
        count, capped, estimated, pages = paginator.count, False, False, paginator.num_pages
        try:
            found = list(paginator.page(page).object_list)
        except EmptyPage:
            found = []
    next_link, previous_link = _page_links(request, page, pages)
    return _json({
        "count": count, "count_capped": capped, "count_estimated": estimated, "page": page, "per_page": per_page, "pages": pages,
        "next": next_link, "previous": previous_link, "items": [_item_summary(request, i) for i in found],
    })


def item(request, pk: int):
    try:
        found = published.item_or_404(pk)
    except Http404:
        return _error("not_found", "没有这条信息，或者它没有公开", 404)
    return _json({
        **_item_summary(request, found), "body": found.body, "channels": list(found.channels or []),
        "interprets": _link(request, interpreted) if (interpreted := published.interpreted(found)) else None,
        "interpretations": [_link(request, i) for i in published.interpretations(found)],
        "attachments": [_attachment(request, found, a) for a in published.attachments(found)],
    })


def _agencies_asked(request):
    """The portal's agencies, or the one ``?agency=`` names; a 400 answer for a bad parameter."""
    try:
        agency_id = _integer(request.GET, "agency")
    except BadParameter as exc:
        return _error("invalid_parameter", str(exc), 400)
    agencies = published.portal_agencies()
    return agencies.filter(pk=agency_id) if agency_id is not None else agencies


def categories(request):
    """Every catalogue category of the portal's agencies (or of ``agency``), in tree order."""
    agencies = _agencies_asked(request)
    if isinstance(agencies, JsonResponse):
        return agencies
    out = []
    for agency in agencies:
        for node, depth in published.flatten(published.category_tree(agency)):
            c = node.category
            out.append({"id": c.pk, "agency_id": c.agency_id, "parent_id": c.parent_id, "name": c.name,
                        "code": c.code, "position": c.position, "depth": depth, "published_count": node.count})
    return _json({"categories": out})


def agencies(request):
    out = [{"id": a.pk, "name": a.name, "kind": a.kind, "kind_label": a.get_kind_display(), "parent_id": a.parent_id,
            "url": request.build_absolute_uri(reverse("portal:agency", args=[a.pk]))}
           for a in published.portal_agencies()]
    return _json({"agencies": out})


def _report_tables(report) -> dict:
    """Tables 2, 3 and 4 of a published report, row -> column -> number, keyed as the national
    format (docs/report-json.md); a cell without a number is null."""
    return {key: table_values(report.tables[key]) if key in report.tables else None for key in TABLE_KEYS}


def _report_summary(request, public) -> dict:
    agency, year, version = public.agency, public.year, public.version
    args = [agency.pk, year]
    return {
        "agency": {"id": agency.pk, "name": agency.name}, "year": year, "version": version.number,
        "published_at": version.approved_at.date().isoformat(),
        "url": request.build_absolute_uri(reverse("portal:report", args=args)),
        "json_url": request.build_absolute_uri(reverse("portal:api_report", args=args)),
        "csv_url": request.build_absolute_uri(reverse("portal:api_report_csv", args=args)),
    }


def reports(request):
    """Every published annual report (the latest version of each year), as open data."""
    agencies = _agencies_asked(request)
    if isinstance(agencies, JsonResponse):
        return agencies
    out = [_report_summary(request, public) for agency in agencies for public in published.public_reports(agency)]
    return _json({"reports": out})


def _public_report(agency: int, year: int):
    """The latest published version of a year's report, or None (no such agency or report)."""
    try:
        return published.public_report_or_404(published.agency_or_404(agency), year)
    except Http404:
        return None


NO_REPORT = ("not_found", "没有该机关，或该机关该年度的报告尚未发布", 404)


def report(request, agency: int, year: int):
    """Tables 2, 3 and 4 of the latest published version of a year's report (JSON)."""
    public = _public_report(agency, year)
    if public is None:
        return _error(*NO_REPORT)
    return _json({**_report_summary(request, public), "tables": _report_tables(public.assembled.report)})


def report_csv(request, agency: int, year: int):
    """The same tables as CSV, one number per line with its table, row and column (keys and the
    format's Chinese labels), UTF-8 with a byte-order mark so that Excel and WPS open it."""
    public = _public_report(agency, year)
    if public is None:
        return _error(*NO_REPORT)
    tables = _report_tables(public.assembled.report)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["机关", "年度", "版本", "表", "行键", "行", "列键", "列", "数值"])
    for key, rows in tables.items():
        spec = standard.TABLE_BY_KEY[key]
        for row_key, columns in (rows or {}).items():
            if columns is None:
                continue
            row = spec.row(row_key)
            for column in row.columns:
                value = columns.get(column.key)
                writer.writerow([safe_text(public.agency.name), public.year, public.version.number, spec.title,
                                 row_key, row.label, column.key, column.label, "" if value is None else value])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    filename = f"{public.agency.name}{public.year}年政府信息公开工作年度报告数据.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def openapi(request):
    return _json(OPENAPI)


def _described_response(code: str, response: dict) -> tuple[str, str, str, str]:
    """(status, description, media type, schema name) of a documented response."""
    media, content = next(iter(response["content"].items()))
    schema = content["schema"]
    return code, response["description"], media, schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else ""


def api_docs(request):
    """The interface described for people: the OpenAPI document rendered as a page, served here
    (no script from elsewhere)."""
    operations = []
    for path, methods in OPENAPI["paths"].items():
        for method, operation in methods.items():
            parameters = [PARAMETERS[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
                          for p in operation.get("parameters", [])]
            operations.append({"method": method.upper(), "path": OPENAPI["servers"][0]["url"] + path,
                               "summary": operation["summary"], "id": operation["operationId"],
                               "parameters": parameters,
                               "responses": [_described_response(code, r) for code, r in operation["responses"].items()]})
    schemas = [(name, schema.get("description", ""), [(field, spec) for field, spec in schema.get("properties", {}).items()])
               for name, schema in OPENAPI["components"]["schemas"].items()]
    return render(request, "portal/api_docs.html", {"info": OPENAPI["info"], "operations": operations,
                                                    "schemas": schemas, "section": "api"})


# ------------------------------------------------------------------------- the document


def _nullable(schema_type: str, **extra) -> dict:
    return {"type": [schema_type, "null"], **extra}


def _object(properties: dict, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties, "required": list(properties),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


DATE = {"type": "string", "format": "date"}
REF = "#/components/schemas/"
ITEM_SUMMARY = {
    "id": {"type": "integer"},
    "url": {"type": "string", "format": "uri", "description": "信息页面"},
    "api_url": {"type": "string", "format": "uri"},
    "index_number": {"type": "string", "description": "索引号"},
    "title": {"type": "string", "description": "标题"},
    "summary": {"type": "string", "description": "内容概述"},
    "document_number": {"type": "string", "description": "文号，没有的为空"},
    "publisher": {"type": "string", "description": "发布机构"},
    "agency": _object({"id": {"type": "integer"}, "name": {"type": "string"}}, "发布机关"),
    "category": _object({"id": {"type": "integer"}, "name": {"type": "string"}}, "目录分类"),
    "topic": {"type": "string", "enum": ["", *TOPIC_LABELS],
              "description": "主题分类的代码（国务院政府信息公开目录的主题分类），空为未分类"},
    "topic_label": {"type": "string", "description": "主题分类的名称"},
    "written_on": _nullable("string", format="date", description="成文日期"),
    "made_on": {**DATE, "description": "生成日期"},
    "published_on": _nullable("string", format="date", description="发布日期"),
    "kind": {"type": "string", "enum": [k for k, _ in Item.Kind.choices], "description": "信息类别"},
    "kind_label": {"type": "string"},
    "validity": {"type": "string", "enum": [v for v, _ in Item.Validity.choices], "description": "有效性，空为不适用"},
    "validity_label": {"type": "string"},
    "effective_on": _nullable("string", format="date", description="施行日期"),
    "repealed_on": _nullable("string", format="date", description="废止或失效日期"),
}
PARAMETERS = {
    "agency": {"name": "agency", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
               "description": "只列该机关发布的信息"},
    "category": {"name": "category", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
                 "description": "只列该目录分类及其下级分类中的信息"},
    "topic": {"name": "topic", "in": "query", "required": False,
              "schema": {"type": "string", "enum": list(TOPIC_LABELS)},
              "description": "只列该主题分类的信息（代码：" + "，".join(f"{k} {v}" for k, v in TOPICS) + "）；不能与 q 同时使用"},
    "since": {"name": "since", "in": "query", "required": False, "schema": DATE,
              "description": "只列该日及以后发布的信息（YYYY-MM-DD）"},
    "q": {"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 100},
          "description": "全文检索（中文分词；一两个汉字按字查找），结果按相关程度排序"},
    "page": {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
             "description": "页码，从 1 开始"},
    "per_page": {"name": "per_page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "description": "每页条数，默认 20"},
}


REPORT_PATH = [
    {"name": "agency", "in": "path", "required": True, "schema": {"type": "integer"}, "description": "机关"},
    {"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}, "description": "报告年度"},
]
REPORT_SUMMARY = {
    "agency": _object({"id": {"type": "integer"}, "name": {"type": "string"}}, "机关"),
    "year": {"type": "integer", "description": "报告年度"},
    "version": {"type": "integer", "minimum": 1, "description": "发布版本（修订后发布的为新版本）"},
    "published_at": {**DATE, "description": "本版本发布日期"},
    "url": {"type": "string", "format": "uri", "description": "报告页面"},
    "json_url": {"type": "string", "format": "uri", "description": "三张表（JSON）"},
    "csv_url": {"type": "string", "format": "uri", "description": "三张表（CSV）"},
}
CELL = {"type": ["integer", "number", "string", "null"], "description": "数值；万元金额为十进制字符串；没有数值为 null"}


def _response(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": REF + schema}}}}


OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "政府信息公开 主动公开信息接口",
        "version": "1.0.0",
        "description": "只读接口，无需登录。只返回已发布的主动公开信息；日期格式 YYYY-MM-DD；错误时返回 Error。",
    },
    "servers": [{"url": "/public/api"}],
    "paths": {
        "/items": {"get": {
            "operationId": "listItems", "summary": "主动公开信息列表",
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in PARAMETERS],
            "responses": {"200": _response("一页信息", "ItemList"), "400": _response("参数有误", "Error")},
        }},
        "/items/{id}": {"get": {
            "operationId": "getItem", "summary": "一条主动公开信息（含正文）",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": _response("信息", "ItemDetail"), "404": _response("没有这条信息或未公开", "Error")},
        }},
        "/categories": {"get": {
            "operationId": "listCategories", "summary": "目录分类（按树的顺序）",
            "parameters": [{"$ref": "#/components/parameters/agency"}],
            "responses": {"200": _response("目录分类", "CategoryList"), "400": _response("参数有误", "Error")},
        }},
        "/agencies": {"get": {
            "operationId": "listAgencies", "summary": "发布信息的机关",
            "responses": {"200": _response("机关", "AgencyList")},
        }},
        "/reports": {"get": {
            "operationId": "listReports", "summary": "已发布的政府信息公开工作年度报告（开放数据）",
            "parameters": [{"name": "agency", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1}, "description": "只列该机关的年度报告"}],
            "responses": {"200": _response("各年度报告（每年最新版本）", "ReportList"),
                          "400": _response("参数有误", "Error")},
        }},
        "/reports/{agency}/{year}": {"get": {
            "operationId": "getReportTables", "summary": "一个年度报告的表二、表三、表四（JSON）",
            "parameters": REPORT_PATH,
            "responses": {"200": _response("报告的三张表", "ReportTables"),
                          "404": _response("没有该机关或该年度报告尚未发布", "Error")},
        }},
        "/reports/{agency}/{year}/csv": {"get": {
            "operationId": "getReportTablesCsv", "summary": "一个年度报告的表二、表三、表四（CSV，每行一个数）",
            "parameters": REPORT_PATH,
            "responses": {"200": {"description": "CSV（UTF-8，带 BOM）：机关、年度、版本、表、行键、行、列键、列、数值",
                                  "content": {"text/csv": {"schema": {"type": "string"}}}},
                          "404": _response("没有该机关或该年度报告尚未发布", "Error")},
        }},
    },
    "components": {
        "parameters": PARAMETERS,
        "schemas": {
            "ItemSummary": _object(ITEM_SUMMARY, "主动公开信息（列表中的字段）"),
            "ItemLink": _object({
                "id": {"type": "integer"}, "title": {"type": "string", "description": "标题"},
                "url": {"type": "string", "format": "uri", "description": "信息页面"},
                "api_url": {"type": "string", "format": "uri"}}, "另一条已发布的信息"),
            "ItemDetail": _object({
                **ITEM_SUMMARY,
                "body": {"type": "string", "description": "正文"},
                "channels": {"type": "array", "items": {"type": "string"}, "description": "同时发布的渠道"},
                "interprets": {"oneOf": [{"$ref": REF + "ItemLink"}, {"type": "null"}],
                               "description": "本信息是政策解读时，所解读的政策文件（ItemLink），否则为 null"},
                "interpretations": {"type": "array", "items": {"$ref": REF + "ItemLink"},
                                    "description": "对本信息的政策解读"},
                "attachments": {"type": "array", "items": _object({
                    "name": {"type": "string", "description": "文件名"},
                    "url": {"type": "string", "format": "uri", "description": "下载地址"}})},
            }, "主动公开信息（含正文和附件）"),
            "ItemList": _object({
                "count": {"type": "integer", "minimum": 0, "description": "符合条件的条数（检索时最多计到 1000）"},
                "count_capped": {"type": "boolean", "description": "检索结果超过 1000 条，count 只计到 1000"},
                "count_estimated": {"type": "boolean",
                                    "description": "count 是估计数：检索结果较多时只在最新的信息中计数，再按比例推算"},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                "pages": {"type": "integer", "minimum": 1},
                "next": _nullable("string", format="uri", description="下一页"),
                "previous": _nullable("string", format="uri", description="上一页"),
                "items": {"type": "array", "items": {"$ref": REF + "ItemSummary"}},
            }),
            "Category": _object({
                "id": {"type": "integer"}, "agency_id": {"type": "integer"},
                "parent_id": _nullable("integer", description="上级分类，顶级为 null"),
                "name": {"type": "string"}, "code": {"type": "string"}, "position": {"type": "integer"},
                "depth": {"type": "integer", "minimum": 0, "description": "在树中的层级，顶级为 0"},
                "published_count": {"type": "integer", "minimum": 0, "description": "本分类及下级分类中已发布的信息数"},
            }),
            "CategoryList": _object({"categories": {"type": "array", "items": {"$ref": REF + "Category"}}}),
            "Agency": _object({
                "id": {"type": "integer"}, "name": {"type": "string"},
                "kind": {"type": "string", "enum": [k for k, _ in Agency.Kind.choices]}, "kind_label": {"type": "string"},
                "parent_id": _nullable("integer"), "url": {"type": "string", "format": "uri"},
            }),
            "AgencyList": _object({"agencies": {"type": "array", "items": {"$ref": REF + "Agency"}}}),
            "ReportSummary": _object(REPORT_SUMMARY, "已发布的年度报告（最新版本）"),
            "ReportList": _object({"reports": {"type": "array", "items": {"$ref": REF + "ReportSummary"}}}),
            "ReportTables": _object({**REPORT_SUMMARY, "tables": _object({
                key: {"type": ["object", "null"], "description": standard.TABLE_BY_KEY[key].title,
                      "additionalProperties": {"type": ["object", "null"], "additionalProperties": CELL}}
                for key in TABLE_KEYS}, "行键 → 列键 → 数值，键与国家格式一致（docs/report-json.md）")}),
            "Error": _object({"error": {"type": "string", "description": "错误代码"},
                              "message": {"type": "string", "description": "说明（中文）"}}),
        },
    },
}
