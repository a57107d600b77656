"""Time of the cross-report checks over a generated region.

A region of N agencies × Y years: each report is one of the five seed reports with the agency and
year changed, its tables from the seed, and narrative sections drawn from a pool of the seeds'
sentences (so that texts differ as real ones do; a few agencies copy another's section on purpose).
Times ``cross_check`` (settling, year-to-year rules, MinHash/LSH copying, timeliness, the list)
and ``compare`` of two reports.

Run: .venv/bin/python benchmarks/cross.py [--agencies 300] [--years 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import random
import re
import statistics
import time
from pathlib import Path

from gongkai.core.report.checking.cross import cross_check
from gongkai.core.report.compare import compare
from gongkai.core.report.parsing import read_report

ROOT = Path(__file__).resolve().parent.parent


def region(agencies: int, years: int, seed: int = 7):
    rng = random.Random(seed)
    seeds = [read_report(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
    sentences = sorted({s for r in seeds for sec in r.sections for s in re.split(r"(?<=。)", sec.text) if len(s) > 15})
    reports = []
    names = [f"示例县第{i}局" for i in range(agencies)]
    for a, name in enumerate(names):
        for y in range(years):
            report = copy.deepcopy(seeds[(a + y) % len(seeds)])
            report.agency, report.year, report.source = name, 2021 + y, f"{name}-{2021 + y}"
            for section in report.sections:
                if section.key in ("overview", "problems", "other_matters"):
                    section.text = "".join(rng.sample(sentences, min(12, len(sentences))))
            reports.append(report)
    for i in range(0, len(reports) - 1, 97):  # a copied section now and then
        reports[i + 1].sections[0].text = reports[i].sections[0].text
    return reports, names


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU times of ``runs`` calls (after one warm-up call). The CPU time is the
    figure to quote on a loaded machine, where the wall clock also counts other processes."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def show(label: str, times: tuple[list[float], list[float]], per: int | None = None) -> None:
    for kind, values in zip(("wall", "cpu"), times):
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        extra = f"  ({statistics.median(values) / per * 1000:.2f} ms per report)" if per else ""
        print(f"{label} [{kind}]: median {statistics.median(values) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reports, names = region(args.agencies, args.years)
    result = cross_check(reports, expected_agencies=names + ["示例县未交局"])
    counts: dict[str, int] = {}
    for f in result.findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    print(f"region: {args.agencies} agencies × {args.years} years = {len(reports)} reports; findings {counts}")
    show("cross_check (region)", timed(lambda: cross_check(reports, expected_agencies=names), args.runs), len(reports))
    pair = reports[:2]
    show("cross_check (two reports)", timed(lambda: cross_check(pair), max(args.runs, 20)))
    show("compare (two reports)", timed(lambda: compare(pair[0], pair[1]), max(args.runs, 20)))


if __name__ == "__main__":
    main()
