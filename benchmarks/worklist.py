"""Work-list, queue and dashboard pages with 100,000 cases on PostgreSQL (filtered and sorted lists
and the notifications page too, where the code has them).

Run: .venv/bin/python benchmarks/worklist.py [--cases 100000] [--requests 50] [--fresh]
Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gongkai_bench_worklist (created
and migrated if missing; the demo county of ``gongkai.apps.demo.county`` is generated once and
reused by later runs, ``--fresh`` drops it first; the cases go through the registry's services,
so the first run takes long — benchmarks/demo_build.py gives the rate). Each page is rendered through Django's test
Client, logged in, as a handler of the busiest agency and as the county's supervisor (all 50
agencies); the figures are the median and the 95th percentile of ``--requests`` requests after
one warm-up. Target: under 100 ms per work-list page.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from databases import ensure_database  # noqa: E402 - beside this script

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench_worklist"
TARGET_MS = 100.0


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    os.environ["DJANGO_DEBUG"] = "0"  # as in production: no query log
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test Client's host "testserver" is allowed


def populate(cases: int, day: date) -> None:
    from django.core.management import call_command

    from gongkai.apps.demo import county as demo
    from gongkai.apps.cases.models import Application

    call_command("migrate", verbosity=0)
    have = Application.objects.count()
    if have >= cases:
        print(f"database: {have} cases already there (use --fresh to regenerate)")
        return
    county = demo.existing_county() or demo.create_county()
    start = time.perf_counter()
    made = demo.generate_cases(county.agencies, cases - have, day.year, seed=7, until=day,
                               weights=county.weights or None, staff=county.staff)
    _analyze()
    print(f"database: generated {made} cases in {time.perf_counter() - start:.0f} s")


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url: str, requests: int) -> tuple[float, float, int]:
    response = client.get(url)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the benchmark database")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        print("benchmarks/worklist.py measures PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)
        return 2
    ensure_database(url, args.fresh)
    setup(url)

    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from gongkai.apps.demo import county as demo
    from gongkai.apps.cases.models import Application
    from gongkai.apps.desk.worklists import WORKLISTS, today

    day = today()
    populate(args.cases, day)
    county = demo.existing_county()
    busiest = (Application.objects.values("agency").annotate(n=Count("pk")).order_by("-n").first())["agency"]
    handler = county.staff[busiest].handler
    total = Application.objects.count()
    open_cases = Application.objects.filter(agency__in=county.agencies, state__in=["registered"]).count()
    print(f"{total} cases in {len(county.agencies)} agencies; busiest agency "
          f"{Application.objects.filter(agency=busiest).count()} cases; {open_cases} with a running period; "
          f"today {day.isoformat()}")
    print(f"{'page':<34}{'user':<12}{'median ms':>10}{'p95 ms':>10}{'KiB':>8}")
    worst = 0.0
    for label, user in (("handler", handler), ("supervisor", county.supervisor)):
        client = Client()
        client.force_login(user)
        pages = [(f"list {key}", reverse("desk:worklist", args=[key])) for key in WORKLISTS]
        pages.append(("list open, search '低保'", reverse("desk:worklist", args=["open"]) + "?q=%E4%BD%8E%E4%BF%9D"))
        pages.append(("list closed, page 20", reverse("desk:worklist", args=["closed"]) + "?page=20"))
        if "all" in WORKLISTS:  # the queues, filters and sorts (absent before them)
            pages.append(("list all, sorted by handler", reverse("desk:worklist", args=["all"]) + "?sort=handler"))
            pages.append(("list all, sorted by due, desc", reverse("desk:worklist", args=["all"]) + "?sort=-due"))
            pages.append(("list all, letters received in May", reverse("desk:worklist", args=["all"])
                          + f"?channel=letter&received_from={day.year}-05-01&received_to={day.year}-05-31"))
            pages.append(("list open, overdue, extended", reverse("desk:worklist", args=["open"]) + "?overdue=on&extended=on"))
            pages.append(("notifications", reverse("notices:index")))
        pages.append(("dashboard", reverse("desk:home")))
        for name, page_url in pages:
            median, p95, size = measure(client, page_url, args.requests)
            if name.startswith("list") and "search" not in name:
                worst = max(worst, median)
            print(f"{name:<34}{label:<12}{median:>10.1f}{p95:>10.1f}{size / 1024:>8.1f}")
    verdict = "met" if worst < TARGET_MS else "NOT met"
    print(f"work lists (without free-text search): slowest median {worst:.1f} ms; target < {TARGET_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
