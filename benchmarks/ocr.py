"""OCR of one table-3 picture on one core: engine load, then the read (median and p95).

The picture is table 3 of the national layout (merged three-level header, 25 rows, 7 columns)
with real-looking numbers, rendered by the project's HTML renderer, printed by WeasyPrint and
rasterised by pdfium at 150 dpi (about 1400 × 1500 pixels), as a screenshot of a Word table.
onnxruntime is held to one thread (``RapidOcrEngine(threads=1)``, the default) and the process
to one CPU (``os.sched_setaffinity``) where the system allows it. Both the wall time and the
process's CPU time are shown: on a machine shared with other work the wall time includes
waiting for the CPU, the CPU time does not.

Measured: the grid (OpenCV), the recogniser on every cell (RapidOCR), parsing the rows and the
arithmetic — ``read_document(png, ".png")``, the whole read of an image file.

Run: .venv/bin/python benchmarks/ocr.py [--runs 10] [--dpi 150]
Target (issue 14): under 3 s per table-3 picture on one core, engine load reported separately.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from tests.ocr_pictures import balanced_tables, table_png, values

    from gongkai.core.report.parsing import read_document
    from gongkai.core.report.parsing.ocr.engine import get_engine

    table = balanced_tables(11)["applications"]
    png = table_png(table, dpi=args.dpi)

    wall, cpu = time.perf_counter(), time.process_time()
    engine = get_engine()
    engine.read_lines([])  # nothing: the models are loaded by get_engine
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu

    walls: list[float] = []
    cpus: list[float] = []
    exact = True
    for _ in range(args.runs + 1):  # the first read warms onnxruntime up and is not counted
        wall, cpu = time.perf_counter(), time.process_time()
        report = read_document(png, ".png")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        exact = exact and values(report.tables["applications"]) == values(table)
    first_wall, first_cpu = walls.pop(0), cpus.pop(0)

    def p95(xs: list[float]) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]

    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, one core, engine {engine.name}")
    print(f"picture: table 3, {args.dpi} dpi, {len(png) // 1024} KiB PNG; every cell read exactly: {exact}")
    print(f"engine load: {load_wall:.2f} s wall, {load_cpu:.2f} s CPU")
    print(f"first read (warm-up): {first_wall:.2f} s wall, {first_cpu:.2f} s CPU")
    print(f"read, {args.runs} runs: median {statistics.median(walls):.2f} s wall (p95 {p95(walls):.2f} s); "
          f"median {statistics.median(cpus):.2f} s CPU (p95 {p95(cpus):.2f} s)")


if __name__ == "__main__":
    main()
