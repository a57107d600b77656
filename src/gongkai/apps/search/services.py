"""The search index kept and asked.

- ``index_item(item)`` puts a published item into the index (or refreshes it) and takes any
  other item out; the ``post_save`` signal of ``Item`` calls it (``signals.py``). Code that
  changes items with ``QuerySet.update`` or ``bulk_create`` must call ``index_items`` itself.
- ``rebuild()`` empties the index and fills it again from the published items
  (``gongkai-manage rebuild_search_index``).
- ``search(text, ...)`` answers a query: ranked published items with highlighted title and
  snippet, one page at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.apps.catalogue.models import Item

from .models import SearchEntry
from .segment import Query, grams, parse_query, words

PUBLISHED = Item.State.PUBLISHED
MAX_COUNTED = 1000  # results counted exactly up to this many; beyond, "more than 1000"
PER_PAGE = 20
MAX_PER_PAGE = 100
SNIPPET_LENGTH = 120
TITLE_WEIGHT = 10.0  # a term in the title counts ten times one in the summary or body (SQLite bm25)


# ------------------------------------------------------------------------ keeping it


def entry_fields(item: Item) -> dict:
    """The index row of ``item`` (its text segmented): the fields of ``SearchEntry``."""
    text = "\n".join(part for part in (item.summary, item.body, item.document_number, item.index_number,
                                       item.publisher) if part)
    return {
        "agency_id": item.agency_id, "category_id": item.category_id, "published_on": item.published_on,
        "title": item.title, "title_words": " ".join(words(item.title)), "text_words": " ".join(words(text)),
        "grams": " ".join(grams(f"{item.title}\n{text}")),
    }


def index_item(item: Item) -> bool:
    """Index ``item`` if it is published, else remove it from the index; True if it is indexed."""
    if item.state != PUBLISHED:
        SearchEntry.objects.filter(item_id=item.pk).delete()
        return False
    SearchEntry.objects.update_or_create(item_id=item.pk, defaults=entry_fields(item))
    return True


def index_items(items: Iterable[Item]) -> int:
    """``index_item`` for each item; the number indexed."""
    with transaction.atomic():
        return sum(index_item(item) for item in items)


def rebuild(batch_size: int = 1000) -> int:
    """Empty the index and index every published item again; the number indexed."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        batch: list[SearchEntry] = []
        count = 0
        published = Item.objects.filter(state=PUBLISHED).order_by("pk")
        for item in published.iterator(chunk_size=batch_size):
            batch.append(SearchEntry(item_id=item.pk, **entry_fields(item)))
            if len(batch) >= batch_size:
                SearchEntry.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        SearchEntry.objects.bulk_create(batch)
        count += len(batch)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return count


# ------------------------------------------------------------------------- asking it


@dataclass
class Hit:
    item: Item
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchResults:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # exact up to MAX_COUNTED
    more: bool = False  # more than MAX_COUNTED results
    page: int = 1
    per_page: int = PER_PAGE
    by_grams: bool = False  # the words found nothing; the characters of the query were asked instead

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def total_text(self) -> str:
        return f"{MAX_COUNTED}条以上" if self.more else f"{self.total}条"


def search(text: str, *, agency_ids: Iterable[int] | None = None, category_ids: Iterable[int] | None = None,
           since: date | None = None, page: int = 1, per_page: int = PER_PAGE) -> SearchResults:
    """Published items matching ``text`` (all its words; one or two Chinese characters as
    characters), best first: words in the title first (SQLite: bm25, the title ten times the
    text), then newest; characters newest first. Filters: the agencies, the
    categories (give the subtree yourself), published on or after ``since``."""
    query = parse_query(text)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, min(page, -(-MAX_COUNTED // per_page)))
    results = SearchResults(query, page=page, per_page=per_page)
    if query.mode == "empty":
        return results
    filters, params = _filters(agency_ids, category_ids, since)
    mode, terms = query.mode, query.terms
    total = _count(mode, terms, filters, params)
    if total == 0 and query.fallback:
        mode, terms, results.by_grams = "grams", query.fallback, True
        total = _count(mode, terms, filters, params)
    results.total, results.more = min(total, MAX_COUNTED), total > MAX_COUNTED
    if total == 0:
        return results
    ids = _ids(mode, terms, filters, params, per_page, (page - 1) * per_page)
    items = Item.objects.filter(pk__in=ids, state=PUBLISHED).select_related("agency", "category").in_bulk()
    marks = query.marks + (terms if results.by_grams else ())
    results.hits = [Hit(items[pk], highlight(items[pk].title, marks), snippet(_text(items[pk]), marks))
                    for pk in ids if pk in items]
    return results


def _text(item: Item) -> str:
    return item.summary or item.body


def _filters(agency_ids, category_ids, since) -> tuple[list[str], list]:
    sql: list[str] = []
    params: list = []
    for column, values in (("agency_id", agency_ids), ("category_id", category_ids)):
        if values is not None:
            values = [int(v) for v in values]
            if not values:
                sql.append("1 = 0")
            else:
                sql.append(f"e.{column} IN ({', '.join(['%s'] * len(values))})")
                params += values
    if since is not None:
        sql.append("e.published_on >= %s")
        params.append(since)
    return sql, params


def _sqlite_match(mode: str, terms: tuple[str, ...]) -> str:
    # Each term is letters, digits and CJK only (segment.py); quoted all the same.
    phrases = " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return f"grams : ({phrases})" if mode == "grams" else f"{{title_words text_words}} : ({phrases})"


def _tsquery(terms: tuple[str, ...]) -> str:
    return " & ".join("'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in terms)


def _from_where(mode: str, terms: tuple[str, ...], filters: list[str], params: list) -> tuple[str, list]:
    table = SearchEntry._meta.db_table
    if connection.vendor == "sqlite":
        sql = f"FROM search_fts JOIN {table} e ON e.item_id = search_fts.rowid WHERE search_fts MATCH %s"
        where_params = [_sqlite_match(mode, terms)]
    else:
        column = "grams_vector" if mode == "grams" else "document"
        sql = f"FROM {table} e WHERE e.{column} @@ %s::tsquery"
        where_params = [_tsquery(terms)]
    for condition in filters:
        sql += f" AND {condition}"
    return sql, where_params + params


def _count(mode, terms, filters, params) -> int:
    sql, all_params = _from_where(mode, terms, filters, params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT %s) counted", all_params + [MAX_COUNTED + 1])
        return cursor.fetchone()[0]


def _ids(mode, terms, filters, params, limit: int, offset: int) -> list[int]:
    if connection.vendor == "postgresql" and mode == "words":
        return _postgresql_word_ids(terms, filters, params, limit, offset)
    sql, all_params = _from_where(mode, terms, filters, params)
    # Characters (one or two) say little about relevance and may match most items: newest first.
    rank = f"bm25(search_fts, {TITLE_WEIGHT}, 1.0, 0.0), " if mode == "words" else ""
    return _fetch_ids(f"SELECT e.item_id {sql} ORDER BY {rank}e.published_on DESC, e.item_id DESC LIMIT %s OFFSET %s",
                      all_params + [limit, offset])


def _postgresql_word_ids(terms, filters, params, limit: int, offset: int) -> list[int]:
    """Items with the words in the title first, then the others, newest first within each: as
    two queries, each of which PostgreSQL can answer by walking the date index and stopping
    after the page, however common the words (one query ordered by "in the title" would rank
    every match first)."""
    sql, all_params = _from_where("words", terms, filters, params)
    query = _tsquery(terms)
    order = "ORDER BY e.published_on DESC, e.item_id DESC LIMIT %s OFFSET %s"
    # The title's terms are among the document's: the title's own index answers alone.
    in_title = f"SELECT e.item_id FROM {SearchEntry._meta.db_table} e WHERE e.title_vector @@ %s::tsquery"
    in_title += "".join(f" AND {condition}" for condition in filters)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({in_title} LIMIT %s) counted", [query] + params + [MAX_COUNTED + 1])
        title_count = cursor.fetchone()[0]
    ids: list[int] = []
    if offset < title_count:
        ids = _fetch_ids(f"{in_title} {order}", [query] + params + [limit, offset])
    if len(ids) < limit:
        rest = f"SELECT e.item_id {sql} AND NOT (e.title_vector @@ %s::tsquery) {order}"
        ids += _fetch_ids(rest, all_params + [query, limit - len(ids), max(0, offset - title_count)])
    return ids


def _fetch_ids(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# ------------------------------------------------------------------------ highlighting


def _pattern(marks: tuple[str, ...]) -> re.Pattern | None:
    marks = tuple(sorted({m for m in marks if m}, key=len, reverse=True))
    return re.compile("|".join(re.escape(m) for m in marks), re.IGNORECASE) if marks else None


def highlight(text: str, marks: tuple[str, ...]) -> SafeString:
    """``text`` HTML-escaped, each occurrence of a mark in ``<mark>``."""
    pattern = _pattern(marks)
    if pattern is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def snippet(text: str, marks: tuple[str, ...], length: int = SNIPPET_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around the first mark, highlighted."""
    text = " ".join(text.split())
    pattern = _pattern(marks)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - length // 3) if match else 0
    piece = text[start:start + length]
    prefix = "……" if start > 0 else ""
    suffix = "……" if start + length < len(text) else ""
    return mark_safe(escape(prefix) + highlight(piece, marks) + escape(suffix))  # noqa: S308 - escaped
