"""Synonyms in the index: an item whose text has a short form or its full form is indexed under
both, so that 低保 finds 最低生活保障 and the other way round, on SQLite and PostgreSQL alike
(the query is unchanged; the index row carries the other form's words and grams).

The list is small (tens of pairs) and read once per process until it changes; a change
re-indexes the published items whose text has either form of the changed pairs."""

from __future__ import annotations

from functools import lru_cache

from django.db import transaction
from django.db.models import Q

from .segment import normalize


@lru_cache(maxsize=1)
def _pairs(version: int) -> tuple[tuple[str, str], ...]:
    from .models import Synonym

    return tuple((normalize(s.term), normalize(s.expansion)) for s in Synonym.objects.all())


_version = [0]


def pairs() -> tuple[tuple[str, str], ...]:
    return _pairs(_version[0])


def forgotten() -> None:
    """The list changed: read it again."""
    _version[0] += 1


def other_forms(text: str) -> list[str]:
    """The forms to add to the index row of a text: for each pair with one form in ``text``, the
    other form (both when both appear; nothing twice)."""
    text = normalize(text)
    out: dict[str, None] = {}
    for term, expansion in pairs():
        if term and term in text:
            out.setdefault(expansion, None)
        if expansion and expansion in text:
            out.setdefault(term, None)
    return list(out)


def marks_for(query_marks: tuple[str, ...]) -> tuple[str, ...]:
    """The strings to highlight for a query: its own, and the other forms of its words."""
    extra: dict[str, None] = {}
    for term, expansion in pairs():
        for mark in query_marks:
            if mark == term:
                extra.setdefault(expansion, None)
            elif mark == expansion:
                extra.setdefault(term, None)
    return query_marks + tuple(m for m in extra if m not in query_marks)


def reindex_forms(*forms: str) -> int:
    """Re-index the published items whose title, summary or body has any of ``forms``."""
    from gongkai.apps.catalogue.models import Item

    from .services import PUBLISHED, index_items

    condition = Q()
    for form in filter(None, forms):
        condition |= Q(title__icontains=form) | Q(summary__icontains=form) | Q(body__icontains=form)
    if not condition:
        return 0
    with transaction.atomic():
        return index_items(Item.objects.filter(condition, state=PUBLISHED).iterator(chunk_size=500))


def save_synonym(term: str, expansion: str, user, synonym=None):
    """Add or change a pair and re-index the items it touches (both forms, old and new)."""
    from .models import Synonym

    before = (synonym.term, synonym.expansion) if synonym is not None else ()
    with transaction.atomic():
        synonym = synonym or Synonym()
        synonym.term, synonym.expansion, synonym.updated_by = term.strip(), expansion.strip(), user
        synonym.full_clean()
        synonym.save()
        transaction.on_commit(forgotten)
        forgotten()
        reindex_forms(*before, synonym.term, synonym.expansion)
    return synonym


def delete_synonym(synonym) -> None:
    with transaction.atomic():
        forms = (synonym.term, synonym.expansion)
        synonym.delete()
        forgotten()
        transaction.on_commit(forgotten)
        reindex_forms(*forms)
