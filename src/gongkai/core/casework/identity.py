"""Check digits of the numbers an applicant gives, and how alike two requests are.

- The citizen identity number (公民身份号码, GB 11643-1999): 18 characters — a 6-digit address
  code, the birth date YYYYMMDD, a 3-digit sequence number and a check character computed with
  ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11; the remainder 10 is written ``X``). The 15-digit
  numbers of the first-generation cards (GB 11643-1989: birth date YYMMDD, no check character) are
  checked for their shape and birth date only.
- The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from the 31
  of ``CREDIT_ALPHABET`` (digits and capital letters without I, O, Z, S, V); the 18th is the check
  character of MOD 31 over the first 17 (weights 3^i mod 31).

The checks *explain* (a Chinese sentence, or None when the number is well formed): the registry
warns on a mismatch and lets the registrar register anyway, because a mistyped number does not
make the application unlawful — it is a matter for a correction request (条例 Art. 30).

``description_similarity`` says how alike two descriptions of the information wanted are, for the
warning on a likely repeated registration (the same applicant asking the same thing within
``DUPLICATE_WINDOW_DAYS``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher

ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
ID_CHECK = "10X98765432"  # the check character for (weighted sum mod 11) = 0, 1, 2, ...
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, ...
CREDIT_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# A repeated registration is suspected when the same applicant's earlier application to the same
# agency was received within this many calendar days and its description is at least this similar.
DUPLICATE_WINDOW_DAYS = 30
# 0.6: difflib's ratio is 2·M/T (M characters in common blocks, T the two lengths together). Two
# requests for the same document written a little differently ("2025年某某项目征收补偿方案" /
# "某某项目的征收补偿方案（2025年）") score about 0.65–0.8; two different requests of the same applicant
# to the same agency that share a topic word or two ("某某项目环评报告" / "某某项目征收补偿方案")
# score about 0.45. A request contained in the other ("征收补偿方案" in "某某项目征收补偿方案及其批复")
# counts as similar too (from ``CONTAINED_MIN`` characters), since the longer one asks for
# everything the shorter asks for.
DUPLICATE_SIMILARITY = 0.6
CONTAINED_MIN = 6  # a shorter description counts as contained only from 6 characters ("文件" is in everything)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def id_check_character(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits of an identity number."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def id_number_problem(number: str, today: date | None = None) -> str | None:
    """What is wrong with a resident identity number (18 characters, or the old 15 digits), or None."""
    number = (number or "").strip().upper()
    if re.fullmatch(r"\d{15}", number):
        born = _birth(1900 + int(number[6:8]), number[8:10], number[10:12])
        return "15位身份证号码中的出生日期不存在，请核对" if born is None else None
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return "居民身份证号码应为18位（前17位为数字，最后一位为数字或X）或15位数字"
    born = _birth(int(number[6:10]), number[10:12], number[12:14])
    if born is None:
        return "居民身份证号码中的出生日期不存在，请核对"
    if born.year < 1900 or (today is not None and born > today):
        return "居民身份证号码中的出生日期不正确，请核对"
    if number[17] != id_check_character(number[:17]):
        return "居民身份证号码校验位不正确（GB 11643-1999），请核对是否输错"
    return None


def _birth(year: int, month: str, day: str) -> date | None:
    try:
        return date(year, int(month), int(day))
    except ValueError:
        return None


def credit_check_character(first17: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters of a credit code."""
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """What is wrong with a unified social credit code, or None."""
    code = (code or "").strip().upper()
    if not CREDIT_SHAPE.match(code):
        return "统一社会信用代码应为18位（数字和大写字母，不含I、O、Z、S、V）"
    if code[17] != credit_check_character(code[:17]):
        return "统一社会信用代码校验位不正确（GB 32100-2015），请核对是否输错"
    return None


def normalise_description(text: str) -> str:
    """A description without spaces and punctuation, full-width forms folded (for comparing)."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def description_similarity(a: str, b: str) -> float:
    """How alike two descriptions are, from 0 to 1 (1 when one contains the other)."""
    a, b = normalise_description(a), normalise_description(b)
    if not a or not b:
        return 0.0
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= CONTAINED_MIN and shorter in longer:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def similar_descriptions(a: str, b: str) -> bool:
    return description_similarity(a, b) >= DUPLICATE_SIMILARITY


__all__ = ["id_number_problem", "id_check_character", "credit_code_problem", "credit_check_character",
           "description_similarity", "similar_descriptions", "normalise_description", "DUPLICATE_WINDOW_DAYS",
           "DUPLICATE_SIMILARITY"]
