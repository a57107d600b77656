"""What the public portal shows, read from the catalogue, the agencies and the annual reports.

Only items in the state "published" are ever returned (``public_items``); every public route
(pages, search, feed, API) reads items through this module or through the search index, which
holds published items only. The annual reports shown are their published versions
(``reports.ReportVersion``, approved by an approver) — never the working copy the office edits —
the latest of each year, the earlier ones reachable by number."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone

from gongkai.apps.agencies.models import Agency
from gongkai.apps.cases.models import Channel
from gongkai.apps.catalogue.models import Category, GuideSupplement, Item
from gongkai.apps.letters import services as letter_services
from gongkai.apps.letters.models import LetterSettings
from gongkai.apps.reports import services as reports
from gongkai.apps.reports.models import ReportVersion
from gongkai.core.casework import fees, workdays
from gongkai.core.casework.catalogue import TOPIC_LABELS
from gongkai.core import standard
from gongkai.core.report import render as rendering

from .models import PortalRevision

PER_PAGE = 20
KEPT_SECONDS = 3600  # rendered pages and counts are kept this long at most (and only while current)


def public_items() -> QuerySet[Item]:
    """Every published item, newest first, with its agency and category."""
    return Item.objects.filter(state=Item.State.PUBLISHED).select_related("agency", "category").order_by(
        "-published_on", "-pk")


def portal_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True).order_by("order_path")


def agency_or_404(pk: int) -> Agency:
    """An active agency with its portal revision (one query), or 404."""
    agency = portal_agencies().select_related("portal_revision").filter(pk=pk).first()
    if agency is None:
        raise Http404("没有这个机关")
    return agency


def item_or_404(pk: int) -> Item:
    """A published item, or 404 (a draft, an item under review or withdrawn is not public)."""
    item = public_items().filter(pk=pk, agency__active=True).first()
    if item is None:
        raise Http404("没有这条信息，或者它没有公开")
    return item


# ------------------------------------------------------------------------ the catalogue


@dataclass
class Node:
    category: Category
    count: int = 0  # published items in this category and below
    children: list["Node"] = field(default_factory=list)


# ------------------------------------------------------------------------ kept pages


def revision(agency: Agency) -> str:
    """The agency's portal revision (``PortalRevision``: its number and time, so that a database
    restored from a backup does not meet pages kept of a later state under the same number)."""
    try:
        row = agency.portal_revision
    except PortalRevision.DoesNotExist:
        return "0"
    return f"{row.revision}.{row.changed_at.timestamp():.6f}"


def bump_revision(agency_id: int) -> None:
    """A new revision for the agency: its kept pages and counts are no longer used. Called by
    the signals of the catalogue (``catalogue_signals``), inside the change's transaction."""
    if not PortalRevision.objects.filter(agency_id=agency_id).update(revision=F("revision") + 1,
                                                                     changed_at=timezone.now()):
        try:
            with transaction.atomic():
                PortalRevision.objects.create(agency_id=agency_id, revision=1)
        except IntegrityError:  # made meanwhile by another transaction
            PortalRevision.objects.filter(agency_id=agency_id).update(revision=F("revision") + 1)


def _kept_key(agency: Agency, *parts) -> str:
    return ":".join(["portal", str(agency.pk), revision(agency), *map(str, parts)])


def cached_page(agency: Agency, parts: tuple, render_page) -> HttpResponse:
    """The page named by ``parts`` as kept for the agency's current revision, else
    ``render_page()`` (kept when it answers 200). For pages that are the same for everyone:
    nothing of the visitor goes into them."""
    key = _kept_key(agency, "page", *parts)
    content = cache.get(key)
    if content is None:
        response = render_page()
        if response.status_code == 200:
            cache.set(key, response.content, KEPT_SECONDS)
        return response
    return HttpResponse(content)


def category_counts(agency: Agency, categories: list[Category]) -> dict[int, int]:
    """Published items per category of the agency, kept for its current revision: counting tens
    of thousands of items on every page view would halve what a server can serve."""
    key = _kept_key(agency, "counts")
    counts = cache.get(key)
    if counts is None:
        # By the agency's categories (not by agency): counted from the index on (state, category).
        counts = dict(public_items().filter(category_id__in=[c.pk for c in categories]).order_by()
                      .values_list("category").annotate(n=Count("*")))
        cache.set(key, counts, KEPT_SECONDS)
    return counts


def category_tree(agency: Agency) -> list[Node]:
    """The agency's catalogue tree with the published items counted (below included)."""
    categories = list(Category.objects.filter(agency=agency))
    counts = category_counts(agency, categories)
    nodes = {c.pk: Node(c, counts.get(c.pk, 0)) for c in categories}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.category.parent_id)
        (parent.children if parent else roots).append(node)

    def total(node: Node) -> int:
        node.count += sum(total(child) for child in node.children)
        return node.count

    for root in roots:
        total(root)
    return roots


def flatten(nodes: list[Node], depth: int = 0) -> list[tuple[Node, int]]:
    out: list[tuple[Node, int]] = []
    for node in nodes:
        out.append((node, depth))
        out += flatten(node.children, depth + 1)
    return out


def category_or_404(agency: Agency, pk: int) -> Category:
    category = Category.objects.filter(agency=agency, pk=pk).first()
    if category is None:
        raise Http404("没有这个目录分类")
    return category


def subtree_ids(category: Category) -> list[int]:
    """The category and every category below it."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Category.objects.filter(agency_id=category.agency_id).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    ids, stack = [], [category.pk]
    while stack:
        pk = stack.pop()
        ids.append(pk)
        stack += children.get(pk, [])
    return ids


def ancestors(category: Category) -> list[Category]:
    """From the root down to the category's parent."""
    chain: list[Category] = []
    parent_id = category.parent_id
    while parent_id is not None:
        parent = Category.objects.get(pk=parent_id)
        chain.insert(0, parent)
        parent_id = parent.parent_id
    return chain


class CountedPaginator(Paginator):
    """A paginator told its count (from the category tree) instead of counting again, whose page
    reads the page's ids first (from the list index alone, however deep the page) and then those
    items, without the text the list does not show."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:
        return self.known_count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:bottom + self.per_page])
        found = self.object_list.model.objects.filter(pk__in=ids).select_related("agency", "category") \
            .defer("body", "summary").in_bulk()
        return Page([found[pk] for pk in ids if pk in found], number, self)


def catalogue_page(agency: Agency, category: Category | None, number, tree: list[Node], topic: str = "") -> Page:
    """One page of the agency's published items (in ``category`` and below, of the 主题分类
    ``topic`` when given), newest first; ``tree`` is the agency's ``category_tree``, whose counts
    give the number of items when no topic is asked."""
    if category is None:
        items, count = public_items().filter(agency=agency), sum(node.count for node in tree)
    else:
        # The category is the agency's: filtered by category alone, along the (state, category) index.
        items = public_items().filter(category_id__in=subtree_ids(category))
        count = next(node.count for node, _ in flatten(tree) if node.category.pk == category.pk)
    if topic:
        # Along the (agency, state, topic, date) index; the count is asked (the page is kept anyway).
        items = items.filter(agency=agency, topic=topic)
        count = items.count()
    return CountedPaginator(items, PER_PAGE, count).get_page(number)


def topic_or_404(value: str) -> str:
    """The 主题分类 asked (``?topic=``): one of the State Council's classes, or none."""
    value = (value or "").strip()
    if value and value not in TOPIC_LABELS:
        raise Http404("没有这个主题分类")
    return value


def interpretations(item: Item) -> list[Item]:
    """The published interpretations (政策解读) of ``item``, oldest first."""
    return list(public_items().filter(interprets=item, agency__active=True).order_by("published_on", "pk"))


def interpreted(item: Item) -> Item | None:
    """The published policy that ``item`` interprets, if it is one and that policy is public."""
    if item.interprets_id is None:
        return None
    return public_items().filter(pk=item.interprets_id, agency__active=True).first()


# The category of the national preset (catalogue 1502) that holds the agency's disclosure rules.
RULES_CATEGORY = "政府信息公开制度"


@dataclass
class DisclosureRules:
    """The 政府信息公开制度 of an agency: what its office writes of its rules
    (``GuideSupplement.disclosure_rules``) and the published items of its catalogue's
    "政府信息公开制度" categories."""

    text: str
    categories: list[Category]
    items: list[Item]


def disclosure_rules(agency: Agency, limit: int = 50) -> DisclosureRules:
    supplement = GuideSupplement.objects.filter(agency=agency).first()
    categories = list(Category.objects.filter(agency=agency, name=RULES_CATEGORY))
    ids = [pk for c in categories for pk in subtree_ids(c)]
    items = list(public_items().filter(category_id__in=ids)[:limit]) if ids else []
    return DisclosureRules(supplement.disclosure_rules if supplement else "", categories, items)


def attachments(item: Item) -> list:
    """The item's attachments where the catalogue keeps them (ItemAttachment), else none."""
    return list(item.attachments.all()) if hasattr(item, "attachments") else []


def attachment_or_404(item: Item, pk: int):
    found = next((a for a in attachments(item) if a.pk == pk), None)
    if found is None:
        raise Http404("没有这个附件")
    return found


# ------------------------------------------------------------------------ annual reports


@dataclass
class PublicReport:
    agency: Agency
    year: int
    assembled: reports.Assembled
    version: ReportVersion  # the version shown
    versions: list[ReportVersion]  # every published version of the year, newest first

    @property
    def latest(self) -> bool:
        return self.version.number == self.versions[0].number

    @property
    def earlier(self) -> list[ReportVersion]:
        return [v for v in self.versions if v.number != self.version.number]


def _versions_by_year(agency: Agency, year: int | None = None) -> dict[int, list[ReportVersion]]:
    found = ReportVersion.objects.filter(report__agency=agency).select_related("report")
    if year is not None:
        found = found.filter(report__year=year)
    by_year: dict[int, list[ReportVersion]] = {}
    for version in found.order_by("-report__year", "-number"):
        by_year.setdefault(version.report.year, []).append(version)
    return by_year


def public_reports(agency: Agency) -> list[PublicReport]:
    """The agency's published annual reports (the latest version of each year), newest first."""
    out = []
    for year, versions in _versions_by_year(agency).items():
        assembled = reports.assemble(agency, year, versions[0])
        if not assembled.errors:
            out.append(PublicReport(agency, year, assembled, versions[0], versions))
    return out


def public_report_or_404(agency: Agency, year: int, number: int | None = None) -> PublicReport:
    """The latest published version of the year's report, or version ``number``; 404 otherwise."""
    versions = _versions_by_year(agency, year).get(year, [])
    version = next((v for v in versions if number is None or v.number == number), None)
    if version is None:
        raise Http404("该年度报告尚未发布" if not versions else "没有这个版本")
    assembled = reports.assemble(agency, year, version)
    if assembled.errors:
        raise Http404("该年度报告尚未发布")
    return PublicReport(agency, year, assembled, version, versions)


# ------------------------------------------------------------------------------- the guide


@dataclass
class Guide:
    agency: Agency
    channels: list[str]
    reply_days: int
    extension_days: int
    correction_days: int
    third_party_days: int
    free_applications: int
    free_pages: int
    page_bands: list[str]
    payment_days: int
    review_body: str
    court: str
    online_review_channel: str  # 行政复议法 Art. 22(2); the remedy is the letters' (letters.services.remedy_settings)
    review_first_extra: list[str]  # the contested rows the agency tells of as review-first
    contact_person: str
    contact_phone: str
    contact_address: str
    categories: list[tuple[Node, int]]
    report_years: list[int]
    report_duty: str = ""  # when the agency publishes its annual report (条例 Art. 49, by kind)
    report_basis: str = ""
    office_hours: str = ""  # these three: what the agency adds (catalogue.GuideSupplement)
    email: str = ""
    notes: str = ""


def guide(agency: Agency) -> Guide:
    """The 政府信息公开指南 of ``agency``, from its data and the rules the system applies, with
    what the agency adds (office hours, e-mail, other notes: ``catalogue.GuideSupplement``)."""
    settings = LetterSettings.objects.filter(agency=agency).first()
    remedy = letter_services.remedy_settings(agency, settings)
    supplement = GuideSupplement.objects.filter(agency=agency).first()
    report_due = reports.report_deadline(agency, timezone.localdate().year - 1)
    bands = [f"第{first}页至第{last}页每页{yuan}元" if last else f"第{first}页以上每页{yuan}元"
             for first, last, yuan in fees.PAGE_BANDS]
    return Guide(
        agency=agency,
        channels=[label for value, label in Channel.choices if value != Channel.OTHER],
        reply_days=workdays.REPLY_WORKING_DAYS, extension_days=workdays.EXTENSION_WORKING_DAYS,
        correction_days=workdays.CORRECTION_REQUEST_WORKING_DAYS,
        third_party_days=workdays.THIRD_PARTY_WORKING_DAYS,
        free_applications=fees.FREE_APPLICATIONS_PER_MONTH, free_pages=fees.FREE_PAGES, page_bands=bands,
        payment_days=fees.PAYMENT_WORKING_DAYS,
        review_body=remedy.review_body,
        court=remedy.court,
        online_review_channel=remedy.online_channel,
        review_first_extra=[standard.APPLICATIONS.row(k).short_label for k in standard.OUTCOME_KEYS
                            if k in remedy.review_first_outcomes],
        contact_person=settings.contact_person if settings else "",
        contact_phone=settings.contact_phone if settings else "",
        contact_address=settings.contact_address if settings else "",
        categories=flatten(category_tree(agency)),
        report_years=[r.year for r in public_reports(agency)],
        report_duty=report_due.duty, report_basis=report_due.basis,
        office_hours=supplement.office_hours if supplement else "",
        email=supplement.email if supplement else "",
        notes=supplement.notes if supplement else "",
    )


def report_document(report: PublicReport) -> rendering.Document:
    """The report as the downloads write it (the same drafting as ``reports.render_report``)."""
    return rendering.build_document(report.assembled.report, report.assembled.fee_yuan, draft=True,
                                    draft_preamble=True)
