"""Render time per format for a typical report (seed 004 with its tables filled in).

Run: .venv/bin/python benchmarks/render.py [--runs N]
Targets (issue 3): DOCX and HTML under 0.2 s, PDF under 1 s per report.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from gongkai.core.report.parsing import read_report
from gongkai.core.report.render import FORMATS, build_document, render

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"docx": 0.2, "html": 0.2, "pdf": 1.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    report = read_report(ROOT / "examples" / "004_0088059577d88b46.txt")
    start = time.perf_counter()
    doc = build_document(report)
    build = time.perf_counter() - start
    print(f"report: {report.agency} {report.year}, build_document {build * 1000:.1f} ms")
    for fmt in FORMATS:
        render(doc, fmt)  # warm-up: imports, fonts
        times = []
        size = 0
        for _ in range(args.runs):
            t = time.perf_counter()
            size = len(render(doc, fmt))
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        target = TARGETS.get(fmt)
        verdict = "" if target is None else (f"  target < {target} s: " + ("met" if median < target else "NOT met"))
        print(f"{fmt:5s} median {median * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms  {size / 1024:7.1f} KiB{verdict}")


if __name__ == "__main__":
    main()
