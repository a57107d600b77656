"""The public pages of the disclosure column: the index of agencies, an agency's home, its guide,
its catalogue by category, item pages, annual reports and full-text search. Thin: the queries
are in ``published`` and ``gongkai.apps.search.services``."""

from __future__ import annotations

from urllib.parse import quote

from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from gongkai.apps.catalogue.models import Item
from gongkai.apps.params import plain_int
from gongkai.apps.reports import services as reports
from gongkai.apps.search import services as search_services
from gongkai.core.report import render as rendering
from gongkai.core.report.render.html import render_section

from gongkai.core.casework.catalogue import TOPIC_LABELS, TOPICS

from . import column, published

REPORT_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
LATEST = 10
# What the search boxes give as examples: an abbreviation and the form documents use (the search's
# synonyms join them); the demo publishes an item that both find (apps/demo/catalogue.py).
SEARCH_EXAMPLES = ("低保", "最低生活保障标准")


def _page_number(request) -> int:
    return max(1, plain_int(request.GET.get("page")) or 1)


def home(request):
    """The index of agencies (straight to the agency's home when there is only one)."""
    agencies = published.portal_agencies().annotate(
        published=Count("items", filter=Q(items__state=Item.State.PUBLISHED)))
    if len(agencies) == 1:
        return redirect("portal:agency", agency=agencies[0].pk)
    rows = [(a, a.path.count("/") - 2) for a in agencies]
    latest = published.public_items().filter(agency__active=True)[:LATEST]
    return render(request, "portal/home.html", {"rows": rows, "latest": latest, "section": "home",
                                                "examples": SEARCH_EXAMPLES})


def region_section(request, section: str):
    """A section of the region's column (guide, rules, catalogue, reports): every agency's page of it."""
    if section not in column.AGENCY_SECTIONS:
        raise Http404("没有这个栏目")
    agencies = published.portal_agencies()
    if section == "catalogue":
        agencies = agencies.annotate(published=Count("items", filter=Q(items__state=Item.State.PUBLISHED)))
    rows = [(a, a.path.count("/") - 2, column.section_url(section, a)) for a in agencies]
    return render(request, "portal/region_section.html", {
        "rows": rows, "section": section, "label": column.SECTION_LABELS[section]})


def on_request(request, agency: int | None = None):
    """依申请公开: how to apply (from the agency's guide), the online form, the tracking page and
    the deadline calculator."""
    found = published.agency_or_404(agency) if agency is not None else None
    return render(request, "portal/on_request.html", {
        "agency": found, "guide": published.guide(found) if found else None, "section": "apply"})


def disclosure_rules(request, agency: int):
    """政府信息公开制度: the office's text and the catalogue's items of the rules."""
    agency = published.agency_or_404(agency)
    return render(request, "portal/rules.html", {
        "agency": agency, "rules": published.disclosure_rules(agency), "section": "rules"})


def agency(request, agency: int):
    agency = published.agency_or_404(agency)
    return render(request, "portal/agency.html", {
        "agency": agency, "latest": published.public_items().filter(agency=agency)[:LATEST],
        "tree": published.category_tree(agency), "reports": published.public_reports(agency)[:3], "section": "home",
    })


def guide(request, agency: int):
    agency = published.agency_or_404(agency)
    return render(request, "portal/guide.html", {"agency": agency, "guide": published.guide(agency),
                                                 "section": "guide"})


def _page_key(request) -> int | str:
    """The page asked, as the paginator will take it: a number, "last" (too large a number), or 1."""
    raw = request.GET.get("page", "").strip()
    if raw.isascii() and raw.isdigit():
        return int(raw) if len(raw) <= 7 else "last"
    return 1


def catalogue(request, agency: int, category: int | None = None):
    """The catalogue, all of it or one category, a page of items: the same for every visitor,
    so kept rendered for the agency's current revision (``published.cached_page``)."""
    agency = published.agency_or_404(agency)
    topic = published.topic_or_404(request.GET.get("topic"))

    def render_page():
        current = published.category_or_404(agency, category) if category is not None else None
        tree = published.category_tree(agency)
        return render(request, "portal/catalogue.html", {
            "agency": agency, "current": current, "tree": published.flatten(tree),
            "trail": published.ancestors(current) if current else [],
            "page": published.catalogue_page(agency, current, request.GET.get("page"), tree, topic),
            "section": "catalogue", "topics": TOPICS, "topic": topic, "topic_label": TOPIC_LABELS.get(topic, ""),
        })

    return published.cached_page(agency, ("catalogue", category or "all", topic or "-", _page_key(request)),
                                 render_page)


def item(request, pk: int):
    item = published.item_or_404(pk)
    return render(request, "portal/item.html", {
        "item": item, "agency": item.agency, "trail": published.ancestors(item.category) + [item.category],
        "attachments": published.attachments(item), "section": "catalogue",
        "interpreted": published.interpreted(item), "interpretations": published.interpretations(item),
    })


def item_attachment(request, pk: int, attachment: int):
    """An attachment of a published item, as a download under its own name."""
    found = published.attachment_or_404(published.item_or_404(pk), attachment)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


def annual_reports(request, agency: int):
    agency = published.agency_or_404(agency)
    return render(request, "portal/reports.html", {"agency": agency, "reports": published.public_reports(agency),
                                                   "section": "reports"})


def annual_report(request, agency: int, year: int, number: int | None = None):
    """The latest published version of a year's report, or an earlier one (``number``)."""
    agency = published.agency_or_404(agency)
    report = published.public_report_or_404(agency, year, number)
    document = published.report_document(report)
    return render(request, "portal/report.html", {
        "agency": agency, "year": year, "document": document, "report": report,
        # render_section escapes every text of the report
        "sections": [mark_safe(render_section(s)) for s in document.sections],  # noqa: S308
        "formats": list(REPORT_FORMATS), "section": "reports",
    })


def annual_report_download(request, agency: int, year: int, fmt: str, number: int | None = None):
    """The report as Word or PDF, rendered once per published version and kept."""
    agency = published.agency_or_404(agency)
    if fmt not in REPORT_FORMATS:
        raise Http404("不支持的格式")
    report = published.public_report_or_404(agency, year, number)
    response = HttpResponse(reports.version_file(report.version, fmt, report.assembled),
                            content_type=REPORT_FORMATS[fmt])
    version = "" if report.latest else f"（第{report.version.number}版）"
    filename = f"{agency.name}{year}年政府信息公开工作年度报告{version}{rendering.suffix(fmt)}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def search(request):
    text = request.GET.get("q", "").strip()
    agency = None
    if plain_int(request.GET.get("agency")) is not None:
        agency = published.agency_or_404(plain_int(request.GET["agency"]))
    results = None
    if text:
        agency_ids = [agency.pk] if agency else list(published.portal_agencies().values_list("pk", flat=True))
        results = search_services.search(text, agency_ids=agency_ids, page=_page_number(request))
        if results.query.mode == "empty":
            results = None
    return render(request, "portal/search.html", {
        "q": text, "agency": agency, "results": results, "agencies": published.portal_agencies(), "section": "search",
    })
