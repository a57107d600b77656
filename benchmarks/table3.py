"""Table 3 and table 4 from the registry on PostgreSQL: 100,000 demo cases, median query time.

Run: .venv/bin/python benchmarks/table3.py [--cases 100000] [--runs 15]
Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/gongkai_bench); creates and
migrates the database, and generates the demo county and the cases once (a later run reuses them;
the cases go through the registry's services as the demo's do, so the first run takes long —
see benchmarks/demo_build.py for the rate).
Target: table3() under 0.5 s for the whole county and for one agency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from databases import ensure_database  # noqa: E402 - beside this script

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench"
TARGET = 0.5


def timed(function, runs: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.demo import county as demo
    from gongkai.apps.cases.models import Application
    from gongkai.apps.reports.tables import table3, table4

    call_command("migrate", verbosity=0)
    year = date.today().year
    county = demo.existing_county()
    if county is None:
        county = demo.create_county(seed=1)
    have = Application.objects.filter(agency__in=county.agencies, year=year).count()
    if have < args.cases:
        start = time.perf_counter()
        made = demo.generate_cases(county.agencies, args.cases - have, year, seed=have + 1,
                                   weights=county.weights or None, staff=county.staff)
        demo.generate_appeals(county.agencies, seed=have + 1)
        print(f"generated {made:,} cases in {time.perf_counter() - start:.1f} s")
    total = Application.objects.filter(agency__in=county.agencies).count()
    biggest = max(county.agencies, key=lambda a: Application.objects.filter(agency=a, year=year).count())
    whole = Agency.objects.get(pk=county.government.pk).subtree()
    print(f"database: {django.db.connection.vendor}, {total:,} cases in {len(county.agencies)} agencies; year {year}")
    for label, scope in (("whole county (subtree, 50 agencies)", whole), (f"one agency ({biggest}, "
                         f"{Application.objects.filter(agency=biggest, year=year).count():,} cases)", biggest)):
        for name, function in (("table3", table3), ("table4", table4)):
            median = timed(lambda: function(scope, year), args.runs)
            verdict = f"  target < {TARGET} s: " + ("met" if median < TARGET else "NOT met") if name == "table3" else ""
            print(f"{name} {label}: median {median * 1000:.1f} ms over {args.runs} runs{verdict}")


if __name__ == "__main__":
    main()
