"""What a user gives besides the reports: the paths (files and folders) expanded into the report
files to read, and the kinds of the agencies (``--agency-kind``, an agency list)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from ..standard import AgencyKind, parse_agency_kind
from .errors import ReportReadError
from .model import Report
from .parsing import SUPPORTED_SUFFIXES


def iter_report_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for supported files, in name order.

    A path that does not exist is yielded as it is, so that the reader reports it.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path


# ------------------------------------------------------------------------- agency kinds

MAX_AGENCY_LIST_BYTES = 10 * 1024 * 1024
_HEADER = re.compile(r"类别|类型|种类|kind|type", re.IGNORECASE)


def _agency_key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


@dataclass(frozen=True)
class AgencyKinds:
    """The agencies a person lists and their kinds, and one kind for every report
    (``--agency-kind``). ``names`` are every listed agency, as written (the agencies that must
    publish a report: the cross-report checks look for the missing ones); ``listed`` the kinds
    given (normalised name → kind; None where the list says 未定/uncertain). A report's agency is
    looked up in the list by its name, or by the one listed name that ends with it or that it ends
    with ("洪泽区人民政府" ~ "淮安市洪泽区人民政府"); not found, the kind given for every report;
    neither, None (the checker guesses from the name)."""

    given: AgencyKind | None = None
    listed: tuple[tuple[str, AgencyKind | None], ...] = ()
    names: tuple[str, ...] = ()

    def for_agency(self, agency: str | None) -> AgencyKind | None:
        key = _agency_key(agency or "")
        if key and self.listed:
            exact = [kind for name, kind in self.listed if name == key]
            if exact:
                return exact[0]
            near = {kind for name, kind in self.listed if name.endswith(key) or key.endswith(name)}
            if len(near) == 1:
                return near.pop()
        return self.given

    def apply(self, report: Report) -> Report:
        report.agency_kind = self.for_agency(report.agency) or report.agency_kind
        return report

    def kind_words(self) -> dict[str, str]:
        """Listed name (as written) → the kind's value, or "uncertain": what the cross-report
        checks take (``checking.cross``)."""
        by_key = dict(self.listed)
        out = {}
        for name in self.names:
            key = _agency_key(name)
            if key in by_key:
                kind = by_key[key]
                out[name] = kind.value if kind is not None else UNCERTAIN
        return out

    def __bool__(self) -> bool:
        return self.given is not None or bool(self.listed) or bool(self.names)


UNCERTAIN = "uncertain"
_UNCERTAIN_WORDS = frozenset({"uncertain", "unknown", "未定", "不确定", "待定"})
_SEPARATOR = re.compile(r"\s*[\t,，]\s*|\s+")


def agency_list_from_text(text: str, path: str | None = None) -> AgencyKinds:
    """An agency list: one agency a line, optionally followed by its kind after a comma, a tab or
    spaces (CSV as Excel saves it works too; a header row may stand first; lines starting with #
    are comments). Kinds: government/本级政府/政府, department/政府部门/部门, township/乡镇/街道, or
    uncertain/未定. ReportReadError ``agency_list_unreadable`` naming the line otherwise."""
    listed: dict[str, AgencyKind | None] = {}
    names: list[str] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        line = ",".join(row).strip()
        if not line or line.startswith("#"):
            continue
        cells = [c for c in _SEPARATOR.split(line) if c]
        if len(cells) > 2:
            raise ReportReadError("agency_list_unreadable", path, f"第{number}行应为“机关名称”或“机关名称,类别”：{line}")
        name = cells[0]
        if len(cells) == 2:
            word = re.sub(r"\s+", "", cells[1]).lower()
            kind = parse_agency_kind(word)
            if kind is None and word not in _UNCERTAIN_WORDS:
                if not names and _HEADER.search(cells[1]):
                    continue  # a header row ("机关名称,类别" / "name,kind")
                raise ReportReadError(
                    "agency_list_unreadable", path,
                    f"第{number}行的类别“{cells[1]}”无法识别，应为 government（本级政府）、department（政府部门）、"
                    "township（乡镇街道）或 uncertain（未定）",
                )
            listed[_agency_key(name)] = kind
        names.append(name)
    return AgencyKinds(None, tuple(listed.items()), tuple(names))


def read_agency_list(path: str | Path, given: AgencyKind | None = None) -> AgencyKinds:
    """An agency list file (``agency_list_from_text``), UTF-8 or GB18030 as Excel saves it."""
    p = Path(path)
    try:
        if p.stat().st_size > MAX_AGENCY_LIST_BYTES:
            raise ReportReadError("agency_list_unreadable", str(path), f"文件超过 {MAX_AGENCY_LIST_BYTES} 字节")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReportReadError("agency_list_unreadable", str(path), "找不到文件") from None
    except OSError as error:
        raise ReportReadError("agency_list_unreadable", str(path), error.strerror or type(error).__name__) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ReportReadError("agency_list_unreadable", str(path), "无法识别字符编码")
    found = agency_list_from_text(text, str(path))
    return AgencyKinds(given, found.listed, found.names)
