"""The supervising office's Excel export and bulletin of a large region, on PostgreSQL.

Run: .venv/bin/python benchmarks/supervision_export.py [--agencies 500] [--runs 10] [--url URL] [--fresh]
Database: --url or DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gongkai_bench_supervision
(created and migrated if missing). A county with ``--agencies`` departments is made once and
reused; each agency gets a collected report of the year: one of the five seed reports read and
checked, under the agency's name. Then ``region.export`` (the workbook of tables 2–4) and
``region.bulletin`` (the DOCX drafted from the checks, with the indicators' outliers) are timed
``--runs`` times after one warm-up; the figures are the median and the 95th percentile.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from databases import ensure_database  # noqa: E402
from worklist import setup  # noqa: E402 - the same database set-up as the other benchmarks

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench_supervision"
YEAR = 2022  # the seeds' year
REGION = "基准测试县人民政府"


def populate(agencies: int):
    from django.core.management import call_command

    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.supervision.models import CollectedReport
    from gongkai.core.report.checking import check_report
    from gongkai.core.report.model import report_to_json
    from gongkai.core.report.parsing import read_report

    call_command("migrate", verbosity=0)
    region = Agency.objects.filter(name=REGION, parent=None).first()
    if region is not None and region.subtree().count() == agencies + 1:
        return region
    if region is not None:
        raise SystemExit(f"{REGION} exists with another number of agencies: run with --fresh")
    region = Agency.objects.create(name=REGION, kind=Agency.Kind.COUNTY)
    seeds = []
    for path in sorted((ROOT / "examples").glob("*.txt")):
        report = read_report(path)
        seeds.append((path.read_bytes(), report_to_json(report), [f.to_json() for f in check_report(report)],
                      report.published.value if report.published else None))
    rows = []
    for n in range(agencies):
        agency = Agency.objects.create(name=f"基准测试县第{n + 1}局", kind=Agency.Kind.DEPARTMENT, parent=region)
        data, report, findings, published = seeds[n % len(seeds)]
        data = data + f"\n{agency.name}".encode()  # each file its own content
        rows.append(CollectedReport(region=region, agency=agency, agency_name=agency.name, year=YEAR,
                                    origin=CollectedReport.Origin.UPLOADED, source=f"{agency.name}.txt",
                                    sha256=hashlib.sha256(data).hexdigest(), fmt="txt", size=len(data), data=data,
                                    status=CollectedReport.Status.READ, report=report, findings=findings,
                                    published_on=published))
    CollectedReport.objects.bulk_create(rows, batch_size=500)
    return region


def timed(function, runs: int) -> tuple[float, float]:
    function()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=500)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--url", default=None)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    import os

    url = args.url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    ensure_database(url, args.fresh)
    setup(url)
    region = populate(args.agencies)
    from gongkai.apps.supervision import region as regional

    size = len(regional.export(region, YEAR))
    print(f"region: {args.agencies} agencies with a report of {YEAR} ({url.rsplit('/', 1)[-1]}); workbook {size:,} bytes")
    for label, function in (("export (xlsx)", lambda: regional.export(region, YEAR)),
                            ("bulletin (docx)", lambda: regional.bulletin(region, YEAR, "基准测试县人民政府办公室",
                                                                          date(YEAR + 1, 4, 1)))):
        median, p95 = timed(function, args.runs)
        print(f"{label:16} median {median:8.1f} ms   p95 {p95:8.1f} ms   ({args.runs} runs)")


if __name__ == "__main__":
    main()
