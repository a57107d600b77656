"""Chinese text as search terms: jieba's search-mode segmentation (``cut_for_search``: the words
and the shorter words inside long ones) and the one- and two-character grams of Chinese runs.

Every term is made only of letters, digits and CJK characters (lower-cased, NFKC-normalised),
so that no term can carry the syntax of FTS5 or of tsquery."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

import jieba

jieba.setLogLevel(logging.WARNING)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FRAGMENT = re.compile(rf"[0-9a-z{CJK}]+")
CJK_RUN = re.compile(rf"[{CJK}]+")
MAX_QUERY_LENGTH = 100  # characters of a query kept; the rest is ignored
# Function words that almost every text has: not required of the results (they would find the
# same items and make the index do more work), unless the query has nothing else.
STOP_WORDS = frozenset("的 了 和 与 及 或 在 是 对 于 关于 之 等 将 为 以 由 把 被 从 向 并 而 其 这 那 中 上 下".split())


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def words(text: str) -> list[str]:
    """The distinct search terms of ``text`` in order of first appearance."""
    seen: dict[str, None] = {}
    for token in jieba.cut_for_search(normalize(text)):
        for fragment in FRAGMENT.findall(token):
            seen.setdefault(fragment, None)
    return list(seen)


def _grams(fragment: str, every_character: bool):
    """The grams of one fragment: the two-character grams of its Chinese runs, their single
    characters too (``every_character``, else only a run of one), and its runs of letters and
    digits whole."""
    for run in CJK_RUN.findall(fragment):
        if every_character or len(run) == 1:
            yield from run
        yield from (run[i:i + 2] for i in range(len(run) - 1))
    yield from (other for other in CJK_RUN.split(fragment) if other)


def grams(text: str) -> list[str]:
    """The distinct one- and two-character grams of the Chinese runs of ``text``, and its runs
    of letters and digits whole: a query of one or two characters is then one gram to look up."""
    seen: dict[str, None] = {}
    for fragment in FRAGMENT.findall(normalize(text)):
        for gram in _grams(fragment, every_character=True):
            seen.setdefault(gram, None)
    return list(seen)


@dataclass(frozen=True)
class Query:
    """A query as the index is asked it.

    ``mode`` is ``"grams"`` for one or two Chinese characters (matched as a gram: exactly "the
    text contains these characters"), ``"words"`` otherwise (jieba terms but ``STOP_WORDS``, all required), or
    ``"empty"`` when nothing searchable is left. ``fallback`` are the grams of a words query,
    all required, asked when the words find nothing (jieba may cut the query unlike the text).
    ``marks`` are the strings to highlight in results."""

    text: str
    mode: str
    terms: tuple[str, ...]
    fallback: tuple[str, ...]
    marks: tuple[str, ...]


def parse_query(text: str) -> Query:
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    fragments = FRAGMENT.findall(normalize(text))
    if not fragments:
        return Query(text, "empty", (), (), ())
    if len(fragments) == 1 and len(fragments[0]) <= 2 and CJK_RUN.fullmatch(fragments[0]):
        return Query(text, "grams", (fragments[0],), (), (fragments[0],))
    terms: dict[str, None] = {}
    for fragment in fragments:
        for term in words(fragment):
            terms.setdefault(term, None)
    required = [term for term in terms if term not in STOP_WORDS] or list(terms)
    fallback: dict[str, None] = {}
    for fragment in fragments:
        for gram in _grams(fragment, every_character=False):
            fallback.setdefault(gram, None)
    marks = tuple(sorted(set(fragments) | set(terms), key=len, reverse=True))
    return Query(text, "words", tuple(required), tuple(fallback), marks)
