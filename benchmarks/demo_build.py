"""How long the demo county takes to build on SQLite, as ``gongkai-manage demo`` builds it.

Run: .venv/bin/python benchmarks/demo_build.py [--cases 10000] [--runs 3] [--cases-only]
Each run makes a fresh SQLite database in a temporary directory, migrates it and times
``gongkai.apps.demo.county.generate(cases=N)`` (the county, its staff and letter settings, the
cases through the registry's services, appeals, the year end, reports, catalogue items and the
supervising office's reports); ``--cases-only`` times only the county and
``generate_cases`` for one year. Prints the median and the 95th percentile of the runs, and the
cases per second.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date


def run_once(cases: int, cases_only: bool) -> float:
    import subprocess

    with tempfile.TemporaryDirectory() as data:
        code = (
            "import time, django; from datetime import date; django.setup();"
            "from django.core.management import call_command; call_command('migrate', verbosity=0);"
            "from gongkai.apps.demo import county;"
            "t = time.perf_counter();"
            + (f"c = county.create_county(); county.generate_cases(c.agencies, {cases}, date.today().year - 1,"
               " seed=1, weights=c.weights, staff=c.staff);" if cases_only else f"county.generate(cases={cases});")
            + "print(time.perf_counter() - t)"
        )
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(GONGKAI_DATA_DIR=data, DJANGO_SETTINGS_MODULE="gongkai.web.settings", DJANGO_DEBUG="0")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases-only", action="store_true")
    args = parser.parse_args()
    times = sorted(run_once(args.cases, args.cases_only) for _ in range(args.runs))
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    what = "county + generate_cases (one year)" if args.cases_only else "generate (the whole demo)"
    print(f"{what}, {args.cases} cases, SQLite, {args.runs} runs ({date.today()}):")
    print(f"  median {median:.1f} s, p95 {p95:.1f} s, {args.cases / median:.0f} cases/s")


if __name__ == "__main__":
    main()
