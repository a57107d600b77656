"""Find the six section headings, in the many styles real reports write them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..labels import label_core
from ...standard import SECTIONS, SectionSpec, parse_chinese_numeral
from .lines import Line

# "一、" "二." "4、" "（四）" "(4)" "第一部分" "一 " — the numeral that opens a heading.
_HEADING_NUMERAL = re.compile(
    r"^\s*(?:"
    r"第(?P<part>[一二三四五六七八九十]+)部分[、.．:：\s]*"
    r"|(?P<cn>[一二三四五六七八九十]+)\s*[、.．,，:：]\s*"
    r"|[(（]\s*(?P<paren>[一二三四五六七八九十]+|\d{1,2})\s*[)）][、.．]?\s*"
    r"|(?P<digit>\d{1,2})\s*(?:[、.．,，:：]|[)）])(?!\d)\s*"
    r"|(?P<cn_space>[一二三四五六七八九十]+)\s+"
    r")"
)
_MAX_HEADING_CORE = 40
_CANONICAL = {s.number: label_core(s.heading) for s in SECTIONS}

# How much a numeral style suggests a top-level heading (not a sub-heading).
_STYLE_SCORE = {"part": 3, "cn": 3, "cn_space": 2, "digit": 2, "paren": 1, "none": 1}
# Styles of parts' headings: the only ones taken for a part written with another number.
_TOP_LEVEL_STYLES = frozenset({"part", "cn", "cn_space", "digit"})
# A heading recognised by its title under another number scores a little less than one whose
# number fits, so that a sub-topic numbered like a part does not win over the part itself by it.
_RENUMBERED_PENALTY = 5


@dataclass(frozen=True)
class HeadingCandidate:
    line: int
    section: SectionSpec
    heading: str
    score: int
    misplaced: bool = False
    numeral: int | None = None  # the number the heading is written with ("五、" → 5), None without one

    @property
    def renumbered(self) -> bool:
        """Written with another number than its section's in the format ("五、其他需要报告的事项")."""
        return self.numeral is not None and self.numeral != self.section.number


def _numeral(text: str) -> tuple[int | None, str, str]:
    """(number, style, rest of the line) for a line that starts with a numeral."""
    m = _HEADING_NUMERAL.match(text)
    if not m:
        return None, "none", text.strip()
    style = next(k for k, v in m.groupdict().items() if v)
    number = parse_chinese_numeral(unicodedata.normalize("NFKC", m.group(style)))
    return number, style, text[m.end():].strip()


def _keywords_match(spec: SectionSpec, core: str) -> int:
    """0 when the heading text does not name this section; higher for a closer match."""
    best = 0
    for alternative in spec.heading_keywords:
        if all(word in core for word in alternative):
            best = max(best, sum(len(w) for w in alternative))
    if not best:
        return 0
    canonical = _CANONICAL[spec.number]
    if canonical in core:
        best += 10
    return best


# Any word that can name a section: a line without one is not a heading (a fast first test).
_ANY_KEYWORD = re.compile(
    "|".join(sorted({re.escape(w) for s in SECTIONS for alt in s.heading_keywords for w in alt}, key=len, reverse=True))
)


def heading_candidates(lines: list[Line], renumbered_styles: frozenset[str] = frozenset()) -> list[HeadingCandidate]:
    """Lines that can be a part's heading. A heading's number must be its part's, except in the
    ``renumbered_styles``: there a heading is recognised by its title whatever its number (a report
    that left a part out and numbered the rest on, or numbered the overview's sub-topics as parts)."""
    out: list[HeadingCandidate] = []
    for line in lines:
        text = line.stripped
        if not text or len(text) > 120 or not _ANY_KEYWORD.search(text):
            continue
        number, style, rest = _numeral(text)
        core = label_core(rest)
        if not core or len(core) > _MAX_HEADING_CORE:
            continue
        # A sentence, not a heading: it carries content after a colon or ends a sentence.
        if re.search(r"[:：]\s*\S", rest) or rest.rstrip().endswith(("。", "；", ";")):
            continue
        for spec in SECTIONS:
            closeness = _keywords_match(spec, core)
            if not closeness:
                continue
            if number is None:
                # No numeral: only the canonical heading itself counts.
                if core != _CANONICAL[spec.number]:
                    continue
            elif number != spec.number and style not in renumbered_styles:
                continue
            score = _STYLE_SCORE[style] * 10 + min(closeness, 20)
            # Much longer than the canonical heading: probably a sentence or a sub-heading.
            score -= max(0, len(core) - len(_CANONICAL[spec.number]) - 12)
            if number is not None and number != spec.number:
                score -= _RENUMBERED_PENALTY
            out.append(HeadingCandidate(line.number, spec, text, score, numeral=number))
    return out


def choose_headings(candidates: list[HeadingCandidate]) -> list[HeadingCandidate]:
    """The best chain of headings: sections in increasing order on increasing lines.

    Maximises the number of sections found, then the total score (so that "二、主动公开…"
    wins over a sub-heading "（二）主动公开…" inside section one).
    """
    cands = sorted(candidates, key=lambda c: (c.line, c.section.number))
    n = len(cands)
    if not n:
        return []
    best: list[tuple[int, int]] = [(1, c.score) for c in cands]
    prev: list[int | None] = [None] * n
    for i in range(n):
        for j in range(i):
            if cands[j].line < cands[i].line and cands[j].section.number < cands[i].section.number:
                value = (best[j][0] + 1, best[j][1] + cands[i].score)
                if value > best[i]:
                    best[i] = value
                    prev[i] = j
    end = max(range(n), key=lambda i: best[i])
    chain: list[HeadingCandidate] = []
    k: int | None = end
    while k is not None:
        chain.append(cands[k])
        k = prev[k]
    return chain[::-1]


def misplaced_headings(candidates: list[HeadingCandidate], chain: list[HeadingCandidate]) -> list[HeadingCandidate]:
    """Clear top-level headings of sections the chain lacks: sections out of order."""
    found = {c.section.number for c in chain}
    used = {c.line for c in chain}
    out: list[HeadingCandidate] = []
    for c in sorted(candidates, key=lambda c: -c.score):
        if c.section.number in found or c.line in used or c.score < 40:
            continue
        out.append(HeadingCandidate(c.line, c.section, c.heading, c.score, misplaced=True, numeral=c.numeral))
        found.add(c.section.number)
        used.add(c.line)
    return out


def find_headings(lines: list[Line]) -> list[HeadingCandidate]:
    """The parts' headings, in line order: by their numbers and titles; where that leaves parts
    unfound, by their titles alone (numbered as the report numbers them), if that finds more."""
    candidates = heading_candidates(lines)
    chain = choose_headings(candidates)
    if len(chain) < len(SECTIONS):
        styles = _TOP_LEVEL_STYLES | {_numeral(c.heading)[1] for c in chain if c.section.number > 1}
        relaxed = choose_headings(heading_candidates(lines, frozenset(styles - {"none"})))
        if len(relaxed) > len(chain):
            chain = relaxed
    chain = chain + misplaced_headings(candidates, chain)
    return sorted(chain, key=lambda c: c.line)
