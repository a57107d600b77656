"""Near-duplicate narrative text: character shingles, MinHash/LSH (datasketch), and the
passages two texts share (difflib).

Chinese has no spaces between words, so the unit is the character: a text is the set of its
runs of ``SHINGLE`` characters after whitespace is removed (PDF and web copies break lines and
insert spaces anywhere). Two texts are near duplicates when the Jaccard similarity of their
shingle sets reaches the threshold; MinHash/LSH only finds the candidate pairs among many texts
quickly, the exact Jaccard decides.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Hashable, Iterable

from datasketch import MinHash, MinHashLSH

SHINGLE = 4  # characters per shingle
NUM_PERM = 128  # MinHash permutations
MIN_PASSAGE = 15  # characters: a shorter common run is not shown as a repeated passage
MAX_PASSAGES = 5

_SPACE = re.compile(r"\s+")


def squeeze(text: str, fold: bool = True) -> str:
    """The text without whitespace and, with ``fold``, NFKC-folded (full-width letters, digits and
    punctuation to ASCII): what shingles are made of. Passages are shown unfolded, as written."""
    text = text or ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text) if fold else text)


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The set of ``size``-character runs of the squeezed text (the text itself when shorter)."""
    s = squeeze(text)
    if len(s) <= size:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i : i + size] for i in range(len(s) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def minhashes(texts: Iterable[Iterable[str]]) -> list[MinHash]:
    """One MinHash per set of shingles, sharing one set of permutations. CRC-32 rather than
    datasketch's default SHA-1: a stable 32-bit hash as well, computed in C, several times faster."""
    return MinHash.bulk(
        ([g.encode("utf-8") for g in grams] for grams in texts), num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32
    )


def similar_pairs(texts: dict[Hashable, str], threshold: float) -> list[tuple[Hashable, Hashable, float]]:
    """Pairs of keys whose texts have a Jaccard similarity of at least ``threshold``, with it.

    LSH proposes the candidates; the exact Jaccard of the shingle sets keeps or drops them, so
    the answer does not depend on the hashing. Each pair is given once, in the order of ``texts``.
    """
    grams = {k: shingles(t) for k, t in texts.items()}
    grams = {k: g for k, g in grams.items() if g}
    order = {k: i for i, k in enumerate(grams)}
    # LSH's own threshold a little lower, so that estimates just under it are still tried
    lsh = MinHashLSH(threshold=max(0.05, threshold - 0.1), num_perm=NUM_PERM)
    hashes = dict(zip(grams, minhashes(grams.values())))
    for key, m in hashes.items():
        lsh.insert(order[key], m)
    keys = list(grams)
    out: list[tuple[Hashable, Hashable, float]] = []
    for key in keys:
        for other_index in sorted(lsh.query(hashes[key])):
            if other_index <= order[key]:
                continue
            other = keys[other_index]
            score = jaccard(grams[key], grams[other])
            if score >= threshold:
                out.append((key, other, score))
    return out


@dataclass(frozen=True)
class Passage:
    """A run of text two narratives share, as written but without whitespace."""

    text: str
    start_a: int  # offset in the first squeezed text
    start_b: int  # offset in the second

    def to_json(self) -> dict:
        return {"text": self.text, "length": len(self.text)}


def common_passages(a: str, b: str, min_length: int = MIN_PASSAGE, limit: int | None = MAX_PASSAGES) -> list[Passage]:
    """The longest runs of text that ``a`` and ``b`` share (after squeezing), longest first."""
    sa, sb = squeeze(a, fold=False), squeeze(b, fold=False)
    if not sa or not sb:
        return []
    matcher = SequenceMatcher(None, sa, sb, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= min_length]
    blocks.sort(key=lambda m: (-m.size, m.a))
    if limit is not None:
        blocks = blocks[:limit]
    return [Passage(sa[m.a : m.a + m.size], m.a, m.b) for m in blocks]

