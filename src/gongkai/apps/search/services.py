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

import json
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from gongkai.apps.catalogue.models import Item

from . import periods, synonyms
from .models import SearchEntry
from .segment import Query, grams, parse_query, words

PUBLISHED = Item.State.PUBLISHED
MAX_COUNTED = 1000  # at most this many results are offered (50 pages of 20)
EXACT_UP_TO = 100  # PostgreSQL, large index: counts above this many are estimated ("约N条")
SLICED_FROM = 20_000  # PostgreSQL: an index of this many items or more is asked slice by slice
PER_PAGE = 20
MAX_PER_PAGE = 100
SNIPPET_LENGTH = 120


# ------------------------------------------------------------------------ keeping it


def entry_fields(item: Item) -> dict:
    """The index row of ``item`` (its text segmented): the fields of ``SearchEntry``."""
    text = "\n".join(part for part in (item.summary, item.body, item.document_number, item.index_number,
                                       item.publisher) if part)
    # The other form of each synonym the text has (低保 for 最低生活保障): found by either.
    title_forms = " ".join(synonyms.other_forms(item.title))
    text_forms = " ".join(synonyms.other_forms(text))
    return {
        "agency_id": item.agency_id, "category_id": item.category_id, "published_on": item.published_on,
        "title": item.title, "title_words": " ".join(words(f"{item.title} {title_forms}")),
        "text_words": " ".join(words(f"{text} {text_forms}")),
        "grams": " ".join(grams(f"{item.title}\n{text}\n{title_forms}\n{text_forms}")),
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
    total: int = 0  # the results offered: at most MAX_COUNTED
    found: int = 0  # the results there are (estimated when ``estimated``; at least, when ``more``)
    estimated: bool = False  # ``found`` is extrapolated from the matches among the newest items
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
        if self.estimated:
            return f"约{self.found}条"
        return f"{MAX_COUNTED}条以上" if self.more else f"{self.found}条"


def search(text: str, *, agency_ids: Iterable[int] | None = None, category_ids: Iterable[int] | None = None,
           since: date | None = None, page: int = 1, per_page: int = PER_PAGE) -> SearchResults:
    """Published items matching ``text`` (all its words; one or two Chinese characters as
    characters): items with the words in their title first, then the others, newest first
    within each; character queries newest first. Filters: the agencies, the categories (give
    the subtree yourself), published on or after ``since``. The same order on both databases."""
    query = parse_query(text)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, min(page, -(-MAX_COUNTED // per_page)))
    results = SearchResults(query, page=page, per_page=per_page)
    if query.mode == "empty":
        return results
    offset, need = (page - 1) * per_page, page * per_page
    cap = max(EXACT_UP_TO, need) + 1  # counted exactly up to here; beyond, estimated
    mode, terms, ids = query.mode, query.terms, []
    index = _Index(*_filters(agency_ids, category_ids), since=since)
    with index.asking():
        if mode == "words":
            counted = index.walk("document", terms, cap=cap)
            if counted.total == 0 and query.fallback:
                mode, terms, results.by_grams = "grams", query.fallback, True
            elif counted.total:
                ids = index.walk("title", terms, need=need).ids
                if len(ids) < need:
                    ids += index.walk("document", terms, need=need - len(ids), exclude_title=True).ids
        if mode == "grams":
            counted = index.walk("grams", terms, need=need, cap=cap)
            ids = counted.ids
    results.found, results.estimated = counted.total, counted.estimated
    results.total, results.more = min(results.found, MAX_COUNTED), results.found > MAX_COUNTED
    ids = ids[offset:need]
    if not ids:
        return results
    items = Item.objects.filter(pk__in=ids, state=PUBLISHED).select_related("agency", "category").in_bulk()
    marks = synonyms.marks_for(query.marks + (terms if results.by_grams else ()))
    results.hits = [Hit(items[pk], highlight(items[pk].title, marks), snippet(_text(items[pk]), marks))
                    for pk in ids if pk in items]
    return results


def _text(item: Item) -> str:
    return item.summary or item.body


def _filters(agency_ids, category_ids) -> tuple[list[str], list]:
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
    return sql, params


FIRST_SLICE_DAYS = 3  # PostgreSQL: the first slice of time asked, back from the newest publication
SLICE_MARGIN = 1.25  # a slice is sized for this many times the matches still wanted
LONG_SLICE_DAYS = 31  # a slice this long or longer is asked by whole months
COUNTED_ITEMS = 10_000  # an estimate's newest items are counted up to this many, else estimated
REST_AT_ONCE = 3  # ask all the older items at once when a slice would cover a third of them or more


@dataclass
class _Slice:
    """Part of the index by publication date: on PostgreSQL the period terms of its days, or,
    for the oldest part, a condition on the date; on SQLite the whole index."""

    periods: list[str] = field(default_factory=list)  # ORed into the tsquery
    condition: str = ""
    params: list = field(default_factory=list)


@dataclass
class _Walk:
    ids: list[int]
    total: int  # the number of matches
    estimated: bool = False  # ``total`` is extrapolated from the matches in the slices asked


@dataclass
class _Bounds:
    newest: date | None = None
    oldest: date | None = None
    items: float = 0.0  # in the index (the planner's estimate)

    @property
    def per_day(self) -> float:
        """Items indexed per day between the oldest and the newest, on average."""
        return self.items / ((self.newest - self.oldest).days + 1)


STATISTICS_SECONDS = 600
_statistics: dict[tuple[str, str], tuple[float, dict[str, float] | None, float]] = {}


def _term_frequencies(table: str, column: str) -> tuple[dict[str, float] | None, float]:
    """PostgreSQL's statistics of a tsvector column: the share of rows holding each of its most
    common terms, and a share every other term stays below (None, 0 before ANALYZE). Read at
    most every ``STATISTICS_SECONDS`` in a process."""
    key = (connection.settings_dict["NAME"], column)
    now = time.monotonic()
    if key in _statistics and now - _statistics[key][0] < STATISTICS_SECONDS:
        return _statistics[key][1:]
    with connection.cursor() as cursor:
        cursor.execute("SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                       "WHERE schemaname = current_schema() AND tablename = %s AND attname = %s", [table, column])
        row = cursor.fetchone()
    frequencies, floor = None, 0.0
    if row and row[0]:
        # For tsvector: the terms' frequencies, then the least and the greatest of them.
        frequencies, floor = dict(zip(row[0], row[1])), row[1][len(row[0])]
    _statistics[key] = (now, frequencies, floor)
    return frequencies, floor


class _Index:
    """The index asked for the newest matches of a query and their number (``walk``).

    On PostgreSQL a common word matches tens of thousands of items, and sorting them all by date
    would read them all from the table. The walk asks the GIN index for one slice of time after
    another instead, newest first: a few days, then as many days as the matches seen so far say
    are needed for what is still wanted, and the rest at once when that is most of it (a rare
    word: the index answers it cheaply whole). It reads from the table only the matches of the
    slices it asks. On SQLite (the embedded default, a small index) one query answers."""

    KINDS = {"title": ("title_vector", "{title_words}"), "document": ("document", "{title_words text_words}"),
             "grams": ("grams_vector", "grams")}

    def __init__(self, filters: list[str], params: list, since: date | None = None):
        self.postgresql = connection.vendor == "postgresql"
        self.filters, self.params, self.since = list(filters), list(params), since
        if since is not None:
            self.filters.append("e.published_on >= %s")
            self.params.append(since)
        self.table = SearchEntry._meta.db_table
        self._bounds: _Bounds | None = None

    def walk(self, kind: str, terms: tuple[str, ...], need: int = 0, cap: int = 0,
             exclude_title: bool = False) -> _Walk:
        """The ids of the newest ``need`` matches (date, then id, descending) and the number of
        matches in the slices asked, which is at least ``cap`` or else every match.
        ``exclude_title``: only the items that do not have all the terms in their title."""
        ids: list[int] = []
        count = 0
        bounds = self.bounds()
        last = bounds.newest
        rarest = self._rarest(kind, terms)
        days = self._next_slice(FIRST_SLICE_DAYS, last, rarest)
        while True:
            part, first = self._slice(last, days)
            limit = None
            if len(ids) < need:
                rows = self._fetch(kind, terms, part, exclude_title, need - len(ids))
                found = rows[0][1] if rows else 0
                ids += [row[0] for row in rows]
            else:
                # The rest of the index at once (sliced walks only) may hold many matches: counted
                # up to more than are ever offered. A slice is counted whole, to extrapolate from.
                limit = max(cap, MAX_COUNTED + 1) - count if first is None and last != bounds.newest else None
                found = self._count(kind, terms, part, exclude_title, limit)
            count += found
            if first is None:
                return _Walk(ids, count)  # every match counted, or more than MAX_COUNTED
            if len(ids) >= need and count >= cap:
                return _Walk(ids, self._extrapolate(count, first), estimated=True)
            last = first - timedelta(days=1)
            wanted = max(need - len(ids), cap - count)
            # Matches per day so far: the days the rest of what is wanted should take.
            covered = (bounds.newest - first).days + 1
            days = self._next_slice(-(-int(wanted * SLICE_MARGIN * covered) // count) if count else None, last, rarest)

    def _next_slice(self, days: int | None, last: date | None, rarest: float | None) -> int:
        """``days``, or every day left (None: as many) when that is about as cheap: a third of
        them or more, or more items than have the rarest term (the GIN index then goes through
        that term's items, not the slice's)."""
        if last is None:
            return 0
        left = (last - self._floor()).days + 1
        if days is None or days * REST_AT_ONCE >= left:
            return max(left, 1)
        if rarest is not None and rarest <= days * self.bounds().per_day:
            return max(left, 1)
        return days

    def _rarest(self, kind: str, terms: tuple[str, ...]) -> float | None:
        """About how many items have the rarest of ``terms`` (PostgreSQL's statistics), or None."""
        if self.bounds().newest is None:
            return None
        frequencies, floor = _term_frequencies(self.table, self.KINDS[kind][0])
        if frequencies is None:
            return None
        return min(frequencies.get(term, floor) for term in terms) * self.bounds().items

    def _extrapolate(self, count: int, first: date) -> int:
        """The matches in the whole index if its items published from ``first`` on, with ``count``
        matches, are like the others."""
        bounds = self.bounds()
        newest = f"FROM {self.table} WHERE published_on >= %s"
        with connection.cursor() as cursor:
            if bounds.per_day * ((bounds.newest - first).days + 1) <= COUNTED_ITEMS:
                cursor.execute(f"SELECT count(*) {newest}", [first])  # from the date index alone
                newest_items = cursor.fetchone()[0]
            else:
                # The planner's estimate from its histogram of the dates: counting would read as
                # many index entries as the slices had items.
                cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {newest}", [first])
                plan = cursor.fetchone()[0]
                newest_items = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
        items = bounds.items if self.since is None else bounds.per_day * ((bounds.newest - self._floor()).days + 1)
        return max(count, round(count * items / max(newest_items, 1)))

    @contextmanager
    def asking(self):
        """The queries of one search. On PostgreSQL in a transaction that lets the planner use
        bitmap scans only: it cannot know how rare the period terms are (they are too many for
        its statistics) and would otherwise read the table in date or physical order, testing
        every item, to find what the GIN index names at once."""
        self.bounds()  # the date index answers this
        if not self.postgresql:
            yield self
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            try:
                yield self
            finally:
                cursor.execute("SET LOCAL enable_seqscan = on")
                cursor.execute("SET LOCAL enable_indexscan = on")

    def bounds(self) -> _Bounds:
        """The newest and oldest publication dates in the index (PostgreSQL), read once."""
        if self._bounds is None:
            self._bounds = _Bounds()
            if self.postgresql:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT max(published_on), min(published_on), (SELECT reltuples FROM pg_class "
                                   f"WHERE oid = '{self.table}'::regclass) FROM {self.table}")
                    newest, oldest, estimate = cursor.fetchone()
                    if newest is not None and (estimate or 0) >= SLICED_FROM:
                        self._bounds = _Bounds(newest, oldest, estimate)
        return self._bounds

    def _floor(self) -> date:
        oldest = self.bounds().oldest
        return max(oldest, self.since) if self.since else oldest

    def _slice(self, last: date | None, days: int) -> tuple[_Slice, date | None]:
        """The slice of ``days`` days ending on ``last``, and its first day (None: the slice reaches
        back to the oldest item, or there are no slices)."""
        if last is None:
            return _Slice(), None
        first = last - timedelta(days=days - 1)
        if first <= self._floor():
            if last == self.bounds().newest:
                return _Slice(), None
            return _Slice(condition="(e.published_on <= %s OR e.published_on IS NULL)", params=[last]), None
        if (last - first).days < LONG_SLICE_DAYS:
            return _Slice(periods=periods.cover(first, last)), first
        # Each term more costs the index a test of every item it looks at: a long slice is asked
        # by whole months (and years), and its own days are kept by the date.
        return _Slice(periods=periods.months_touched(first, last), condition="e.published_on BETWEEN %s AND %s",
                      params=[first, last]), first

    def _where(self, kind: str, terms: tuple[str, ...], part: _Slice, exclude_title: bool) -> tuple[str, list]:
        column, fields = self.KINDS[kind]
        if self.postgresql:
            sql = f"FROM {self.table} e WHERE e.{column} @@ %s::tsquery"
            params: list = [_tsquery(terms, part.periods)]
            if exclude_title:
                sql += " AND NOT (e.title_vector @@ %s::tsquery)"
                params.append(_tsquery(terms))
        else:
            match = f"{fields} : ({_phrases(terms)})"
            if exclude_title:
                match = f"({match}) NOT ({{title_words}} : ({_phrases(terms)}))"
            sql = f"FROM search_fts JOIN {self.table} e ON e.item_id = search_fts.rowid WHERE search_fts MATCH %s"
            params = [match]
        for condition in self.filters + ([part.condition] if part.condition else []):
            sql += f" AND {condition}"
        return sql, params + self.params + part.params

    def _fetch(self, kind, terms, part, exclude_title, limit: int) -> list[tuple[int, int]]:
        """The newest ``limit`` matches in the slice, each with the number of matches in it."""
        sql, params = self._where(kind, terms, part, exclude_title)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT e.item_id, count(*) OVER () {sql} "
                           "ORDER BY e.published_on DESC, e.item_id DESC LIMIT %s", params + [limit])
            return cursor.fetchall()

    def _count(self, kind, terms, part, exclude_title, limit: int | None) -> int:
        """The matches in the slice, counted up to ``limit`` (None: all)."""
        sql, params = self._where(kind, terms, part, exclude_title)
        with connection.cursor() as cursor:
            if limit is None:
                cursor.execute(f"SELECT count(*) {sql}", params)
            else:
                cursor.execute(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT %s) counted", params + [limit])
            return cursor.fetchone()[0]


def _phrases(terms: tuple[str, ...]) -> str:
    # Each term is letters, digits and CJK only (segment.py); quoted all the same.
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(terms: tuple[str, ...], slice_terms: Iterable[str] = ()) -> str:
    """All ``terms``, and one of ``slice_terms`` (period terms) if any are given."""
    query = " & ".join(_quote(term) for term in terms)
    slice_terms = list(slice_terms)
    return f"{query} & ({' | '.join(_quote(t) for t in slice_terms)})" if slice_terms else query


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
