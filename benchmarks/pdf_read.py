"""Reading text PDFs: pages per second on one core, median and p95 per page.

The PDFs: the real reports of ../shared/corpus/reports (WPS-made; each read is also checked
against ../shared/corpus/expected: every printed number exact), and reports the project makes
from the five seeds — WeasyPrint renders (``render_pdf``), LibreOffice renders of the Word files
(when soffice is installed) and one long report (seed 004 with its narrative repeated, a dozen
pages or more).

Each read is cold: the bytes are opened afresh (nothing is kept between reads). Two figures per
read: PDF → text lines (``pdf_to_text``) and PDF → report (``read_document``: the text lines
parsed into tables and facts). A file's time divided by its pages is its per-page time; median
and p95 are over all reads of all files. Times are CPU time of this process pinned to one core
(on a busy machine wall time includes waiting for the core; it is printed too). For comparison,
the engine before: pdfplumber doing the same page work (``find_tables`` with the lines strategy
and ``extract_text_lines`` per page), once per file.

Run: .venv/bin/python benchmarks/pdf_read.py [--repeat 5] [--no-libreoffice] [--no-pdfplumber]
Target (issue 14): at least 100 pages/s on one core, every corpus PDF exact.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.parsing.pdf import pdf_to_text
from gongkai.core.report.parsing.pdfpages import page_count
from gongkai.core.report.render import build_document, render
from gongkai.core.report.render.pdf import render_pdf

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files() -> dict[str, bytes]:
    folder = CORPUS / "reports"
    return {f"corpus/{p.name}": p.read_bytes() for p in sorted(folder.glob("*.pdf"))} if folder.is_dir() else {}


def made_files(libreoffice: bool) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    docs = {}
    for seed in sorted((ROOT / "examples").glob("*.txt")):
        docs[seed.stem[:3]] = build_document(read_report(seed))
        out[f"weasyprint/{seed.stem[:3]}.pdf"] = render_pdf(docs[seed.stem[:3]])
    long = copy.deepcopy(docs["004"])
    for section in long.sections:
        section.paragraphs = list(section.paragraphs) * 4
    out["weasyprint/004-long.pdf"] = render_pdf(long)
    if libreoffice:
        from gongkai.core.report.parsing.office import convert_files, find_soffice

        if find_soffice() is None:
            print("LibreOffice is not installed: its renders are left out")
        else:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                sources = []
                for key, doc in docs.items():
                    path = folder / f"{key}.docx"
                    path.write_bytes(render(doc, "docx"))
                    sources.append(path)
                (folder / "pdf").mkdir()
                convert_files(sources, "pdf", folder / "pdf")
                for path in sorted((folder / "pdf").glob("*.pdf")):
                    out[f"libreoffice/{path.name}"] = path.read_bytes()
    return out


def corpus_exact(name: str, data: bytes) -> tuple[int, int]:
    """(right, total) over every printed number of the expected tables."""
    expected = json.loads((CORPUS / "expected" / f"{Path(name).name[:3]}.json").read_text(encoding="utf-8"))
    report = read_document(data, ".pdf", name)
    right = total = 0
    for key in ("active", "applications", "review_litigation"):
        table = report.table(key)
        for row, columns in expected[key].items():
            if columns is None:
                total += 1
                right += table is None or row not in table.rows
                continue
            for column, want in columns.items():
                total += 1
                cell = table.rows.get(row, {}).get(column) if table is not None else None
                got = None if cell is None else cell.value
                right += (got is None and want is None) or (got is not None and want is not None and Decimal(str(got)) == Decimal(str(want)))
    return right, total


def measure(files: dict[str, bytes], pages: dict[str, int], work, repeat: int) -> dict[str, float]:
    per_page: list[float] = []
    cpu_total = wall_total = 0.0
    page_total = 0
    for _ in range(repeat):
        for name, data in files.items():
            fresh = bytes(data)  # cold: a new buffer, a new document
            wall, cpu = time.perf_counter(), time.process_time()
            work(fresh)
            cpu = time.process_time() - cpu
            wall = time.perf_counter() - wall
            per_page.append(cpu / pages[name])
            cpu_total += cpu
            wall_total += wall
            page_total += pages[name]
    per_page.sort()
    return {
        "pages_s": page_total / cpu_total,
        "wall_pages_s": page_total / wall_total,
        "median_ms": statistics.median(per_page) * 1000,
        "p95_ms": per_page[min(len(per_page) - 1, int(0.95 * len(per_page)))] * 1000,
    }


def pdfplumber_pages(data: bytes) -> None:
    """The page work of the reader before, on pdfplumber (pdfminer parsing every page)."""
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines"})
            page.extract_text_lines(strip=True, return_chars=True)
            page.images  # noqa: B018


def line(label: str, m: dict[str, float]) -> str:
    return (
        f"  {label:34} {m['pages_s']:7.1f} pages/s   median {m['median_ms']:6.2f} ms/page   p95 {m['p95_ms']:6.2f} ms/page"
        f"   (wall: {m['wall_pages_s']:.1f} pages/s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="reads of each file")
    parser.add_argument("--no-libreoffice", action="store_true", help="leave out the LibreOffice renders")
    parser.add_argument("--no-pdfplumber", action="store_true", help="do not measure the engine before")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    print(f"machine: {platform.python_implementation()} {platform.python_version()}, 1 core (CPU time of this process)")

    corpus = corpus_files()
    start = time.process_time()
    if corpus:  # the first read of the process: imports and loading pdfium
        pdf_to_text(next(iter(corpus.values())))
    else:
        print(f"no corpus at {CORPUS}: only the generated PDFs are read")
    first = time.process_time() - start
    made = made_files(not args.no_libreoffice)
    files = {**corpus, **made}
    pages = {name: page_count(data) for name, data in files.items()}
    print(f"files: {len(files)} ({sum(pages.values())} pages): " + ", ".join(f"{n} {pages[n]}p" for n in files))
    if corpus:
        print(f"first read of the process (imports, pdfium loaded): {first * 1000:.0f} ms")
        for name, data in corpus.items():
            right, total = corpus_exact(name, data)
            print(f"  {name}: {right}/{total} numbers exact" + ("" if right == total else "  <-- NOT EXACT"))

    groups = {"all": files, "corpus (WPS)": corpus, "WeasyPrint": {n: d for n, d in made.items() if n.startswith("weasyprint/")}}
    groups["LibreOffice"] = {n: d for n, d in made.items() if n.startswith("libreoffice/")}
    print("pdfium (this reader):")
    for label, group in groups.items():
        if not group:
            continue
        print(line(f"{label}: PDF -> text lines", measure(group, pages, pdf_to_text, args.repeat)))
        print(line(f"{label}: PDF -> report", measure(group, pages, lambda d: read_document(d, ".pdf"), args.repeat)))
    if not args.no_pdfplumber:
        print("pdfplumber (the engine before, its page work only):")
        print(line("all: tables and text lines", measure(files, pages, pdfplumber_pages, 1)))


if __name__ == "__main__":
    main()
