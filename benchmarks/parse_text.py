"""Parsing throughput on text reports, in reports per second on one core.

The mix: the five seed reports as published, plus seed 004 re-written with every table
filled in each of the three text layouts (tab-separated, one cell per line, spaces).
Run: .venv/bin/python benchmarks/parse_text.py [--seconds S]
Target (issue 2): at least 500 reports per second.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from gongkai.core.report.checking import check_report
from gongkai.core.report.model import report_from_json, report_to_json
from gongkai.core.report.parsing import parse_bytes
from gongkai.core.report.render.plaintext import LAYOUTS, render_text

ROOT = Path(__file__).resolve().parent.parent


def corpus() -> list[tuple[str, bytes]]:
    files = [(p.name, p.read_bytes()) for p in sorted((ROOT / "examples").glob("*.txt"))]
    base = report_to_json(parse_bytes((ROOT / "examples" / "004_0088059577d88b46.txt").read_bytes()))
    for i, row in enumerate(base["tables"]["applications"].values()):
        if row is not None and i % 3 == 0:
            row["natural_person"] = row["total"] = 0  # keep it consistent enough to parse fully
    report = report_from_json(base)
    for layout in LAYOUTS:
        files.append((f"004-{layout}", render_text(report, layout).encode("utf-8")))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure each figure")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    files = corpus()
    size = sum(len(d) for _, d in files) / len(files)
    for name, data in files:  # warm up (regex compilation, imports)
        parse_bytes(data, name)

    def measure(work) -> tuple[int, float]:
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            for name, data in files:
                work(name, data)
                count += 1
        return count, time.perf_counter() - start

    n, t = measure(lambda name, data: parse_bytes(data, name))
    parse_rate = n / t
    n2, t2 = measure(lambda name, data: check_report(parse_bytes(data, name)))
    check_rate = n2 / t2
    print(f"machine: {platform.python_implementation()} {platform.python_version()}, 1 core")
    print(f"corpus: {len(files)} text reports, mean size {size / 1024:.1f} KiB")
    print(f"parse (decode + parse):       {parse_rate:8.0f} reports/s  ({1000 / parse_rate:.2f} ms per report)")
    print(f"parse + check:                {check_rate:8.0f} reports/s  ({1000 / check_rate:.2f} ms per report)")
    print(f"target: 500 reports/s -> {'met' if parse_rate >= 500 else 'NOT met'}")


if __name__ == "__main__":
    main()
