"""Bulk checking throughput per format on all cores, and memory over a long mixed run.

The inputs are the five seed reports rendered with ``gongkai.core.report.render`` as text (the seeds
as published), HTML, Word and PDF, copied into a temporary folder. Each format is checked with
``gongkai.core.report.bulk.process(task="check")`` on all cores; then N mixed reports (default 2000)
are checked and the peak memory (``ru_maxrss`` of this process and of its reaped workers) and
the resident memory of the parent and the live workers are shown after N/10 and after N
results, to show that memory stays flat.

Run: .venv/bin/python benchmarks/bulk.py [--n 10000] [--per-format 200] [--workers W]
Targets (bulk issue): HTML and text at least 300 reports/s, DOCX 50/s, PDF 10 pages/s.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from gongkai.core.report import bulk
from gongkai.core.report.parsing import read_report
from gongkai.core.report.render import build_document, render

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("txt", "html", "docx", "pdf")
MIX = ("txt",) * 4 + ("html",) * 4 + ("docx",) + ("pdf",)  # a mix of published reports


def rendered(folder: Path) -> dict[str, list[Path]]:
    """The five seeds in every format (the text ones as published)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {fmt: [] for fmt in FORMATS}
    for seed in sorted((ROOT / "examples").glob("*.txt")):
        out["txt"].append(seed)
        doc = build_document(read_report(seed))
        for fmt in FORMATS[1:]:
            path = folder / f"{seed.stem}.{fmt}"
            path.write_bytes(render(doc, fmt))
            out[fmt].append(path)
    return out


def copies(sources: list[Path], folder: Path, n: int, fmt: str | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{i:06d}{src.suffix}"
        dst.write_bytes(src.read_bytes())
        paths.append(str(dst))
    return paths


def pdf_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def rss_kib(pid: int | str = "self") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def workers_rss_kib() -> int:
    me = str(os.getpid())
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == me:
                    total += rss_kib(entry.name)
            except (OSError, IndexError):
                continue
    return total


def maxrss() -> tuple[int, int]:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def run(paths: list[str], workers: int) -> tuple[float, int]:
    start = time.perf_counter()
    errors = sum(1 for r in bulk.process(paths, task="check", workers=workers) if r["status"] != "ok")
    return time.perf_counter() - start, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000, help="reports in the mixed memory run")
    parser.add_argument("--per-format", type=int, default=300, help="reports per format (PDF: a fifth of it)")
    parser.add_argument("--workers", type=int, default=os.cpu_count(), help="worker processes")
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, {args.workers} workers")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sources = rendered(folder / "src")
        pages = {p: pdf_pages(p) for p in sources["pdf"]}
        print("per format (check, all cores):")
        for fmt in FORMATS:
            n = max(10, args.per_format // 5) if fmt == "pdf" else args.per_format
            paths = copies(sources[fmt], folder / fmt, n)
            seconds, errors = run(paths, args.workers)
            line = f"  {fmt:5} {n:6} reports {seconds:7.2f} s  {n / seconds:8.1f} reports/s"
            if fmt == "pdf":
                total_pages = sum(pages[sources["pdf"][i % len(sources["pdf"])]] for i in range(n))
                line += f"  {total_pages / seconds:6.1f} pages/s ({total_pages} pages)"
            print(line + (f"  ({errors} errors)" if errors else ""))
        n = args.n
        mixed = []
        for fmt in FORMATS:
            count = sum(1 for i in range(n) if MIX[i % len(MIX)] == fmt)
            mixed.append(copies(sources[fmt], folder / f"mixed-{fmt}", count))
        order = [mixed[FORMATS.index(MIX[i % len(MIX)])].pop() for i in range(n)]
        print(f"mixed run of {n} reports ({', '.join(f'{f}: {sum(1 for i in range(n) if MIX[i % len(MIX)] == f)}' for f in FORMATS)}):")
        samples = {}
        start = time.perf_counter()
        done = 0
        for result in bulk.process(order, task="check", workers=args.workers):
            done += 1
            if done in (n // 10, n):
                samples[done] = (maxrss(), rss_kib(), workers_rss_kib())
        seconds = time.perf_counter() - start
        print(f"  {n / seconds:.1f} reports/s ({seconds:.1f} s)")
        for k, ((self_max, child_max), rss, wrss) in samples.items():
            print(
                f"  after {k:6} reports: maxrss self {self_max / 1024:6.1f} MiB, children {child_max / 1024:6.1f} MiB;"
                f" rss parent {rss / 1024:6.1f} MiB, live workers {wrss / 1024:6.1f} MiB"
            )


if __name__ == "__main__":
    main()
