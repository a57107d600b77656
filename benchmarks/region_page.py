"""The supervising office's region page with 5,000 agencies × 5 years of reports on PostgreSQL.

Run: .venv/bin/python benchmarks/region_page.py [--agencies 5000] [--years 5] [--requests 30] [--fresh]
Database: DATABASE_URL, default postgres://postgres@127.0.0.1:5432/gongkai_bench_region (created and
migrated if missing; the region is generated once and reused, ``--fresh`` drops it first).

Generation: one county government and ``--agencies − 1`` agencies under it (bulk_create), and for
each agency and year a report JSON with tables 3 and 4 filled in (random but balanced numbers, a
publication date, a few findings for one agency in ten). The figures are written by the same code
the refresh job runs (``figures.refresh_year_from``: indicators, ranks, outliers, region totals),
timed per year. Then the pages are requested through Django's test Client as the county's
supervisor:
- cold: the first request of each page on a new database connection (the connection is closed
  before each of these requests, so every one pays the connection and its first queries);
- warm: ``--requests`` requests of each page on the open connection.
Printed: median and 95th percentile per page. Target: the region page under 1 s (issue 13, item 6).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from databases import ensure_database  # noqa: E402 - beside this script

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench_region"
TARGET_MS = 1000.0
REGION_NAME = "基准测试县人民政府"


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def report_json(rng: random.Random, year: int) -> dict:
    """Tables 3 and 4 with the natural-person and total columns filled and balanced."""
    from gongkai.core import standard

    size = rng.choice((0, 0, 1, 3, 8, 20, 60, 200))
    outcomes = {k: 0 for k in standard.OUTCOME_KEYS}
    for _ in range(size):
        outcomes[rng.choice(("granted", "granted", "granted", "partial", "unable_not_held", "unable_not_held",
                             "denied_process_info", "rejected_repeat", "other_other"))] += 1
    decided = sum(outcomes.values())
    forward = rng.randint(0, max(size // 10, 0))
    over = rng.randint(0, forward)
    t3 = {k: v for k, v in outcomes.items()}
    t3.update(total=decided, carried_forward=forward, carried_over=over, new_received=decided + forward - over)
    applications = {k: {"natural_person": v, "total": v} for k, v in t3.items()}
    t4 = {}
    for block in standard.REVIEW_LITIGATION.row_keys:
        parts = {"upheld": rng.randint(0, size // 40), "corrected": rng.randint(0, size // 80),
                 "other": 0, "pending": rng.randint(0, 1) if size > 40 else 0}
        t4[block] = {**parts, "total": sum(parts.values())}
    active = {"rules": {"issued": 0, "repealed": 0, "in_force": rng.randint(0, 5)},
              "normative_documents": {"issued": rng.randint(0, 3), "repealed": 0, "in_force": rng.randint(0, 20)},
              "licensing": {"decisions": rng.randint(0, 500)}, "penalty": {"decisions": rng.randint(0, 300)},
              "coercion": {"decisions": rng.randint(0, 30)}, "admin_fees": {"amount": "0"}}
    return {"year": year, "tables": {"active": active, "applications": applications, "review_litigation": t4},
            "narrative_facts": {"info_fee_yuan": {"value": "0", "text": "未收取信息处理费", "line": 80}}}


FINDINGS = [("T3-balance", "error"), ("T3-total", "error"), ("T4-blocks", "error"), ("C-placeholder", "warning"),
            ("N-applications", "warning"), ("S-order", "warning"), ("T-picture", "error")]


def populate(agencies: int, years: int, last_year: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from gongkai.apps.agencies.models import Agency, Membership
    from gongkai.apps.supervision.figures import refresh_year_from
    from gongkai.apps.supervision.models import RegionYear

    call_command("migrate", verbosity=0)
    region = Agency.objects.filter(name=REGION_NAME, parent=None).first()
    if region is not None and RegionYear.objects.filter(region=region).count() >= years:
        print(f"database: the region is there ({region.subtree().count()} agencies; --fresh to regenerate)")
        return
    start = time.perf_counter()
    region = Agency.objects.create(name=REGION_NAME, kind=Agency.Kind.COUNTY)
    kinds = [Agency.Kind.DEPARTMENT] * 3 + [Agency.Kind.TOWNSHIP]
    children = Agency.objects.bulk_create(
        [Agency(name=f"基准测试单位{i:05d}", kind=kinds[i % 4], parent=region) for i in range(1, agencies)],
        batch_size=2000)
    for child in children:
        child.path = f"{region.path}{child.pk}/"
    Agency.objects.bulk_update(children, ["path"], batch_size=2000)
    user = get_user_model().objects.create_user("bench-supervisor", password="x")
    Membership.objects.create(user=user, agency=region, role=Membership.Role.SUPERVISOR)
    everyone = [region, *children]
    print(f"database: {len(everyone)} agencies in {time.perf_counter() - start:.1f} s")
    rng = random.Random(13)
    reports: dict = {}
    first_year = last_year - years + 1
    for year in range(first_year, last_year + 1):
        for agency in everyone:
            if rng.random() < 0.03:
                continue  # no report this year
            deadline = date(year + 1, 3, 31) if agency.kind == Agency.Kind.COUNTY else date(year + 1, 1, 31)
            published = deadline - timedelta(days=rng.randint(-20, 25)) if rng.random() < 0.95 else None
            findings = [{"rule": r, "severity": s} for r, s in rng.sample(FINDINGS, rng.randint(1, 3))] \
                if rng.random() < 0.1 else []
            reports[(agency.pk, year)] = {"pk": None, "report": report_json(rng, year), "findings": findings,
                                          "published_on": published}
    timings = []
    for year in range(first_year, last_year + 1):
        start = time.perf_counter()
        refresh_year_from(region, year, everyone, reports)
        timings.append(time.perf_counter() - start)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"refresh (figures of {len(everyone)} agencies, one year; the job's code): "
          f"median {statistics.median(timings):.2f} s, max {max(timings):.2f} s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(requests: int) -> bool:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.supervision.models import RegionFigure, RegionYear

    region = Agency.objects.get(name=REGION_NAME, parent=None)
    year = RegionYear.objects.filter(region=region).order_by("-year").values_list("year", flat=True).first()
    some = list(RegionFigure.objects.filter(region=region, year=year).order_by("agency_id")
                .values_list("agency_id", flat=True)[100:110])
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-supervisor"))
    base = reverse("supervision:region", args=[region.pk])
    compare = reverse("supervision:compare", args=[region.pk])
    pages = {
        "区域页（默认：按名称，第1页）": base,
        "区域页（按公开率排序）": base + f"?year={year}&sort=disclosure_rate&dir=desc",
        "区域页（第30页）": base + f"?year={year}&sort=received&page=30",
        "区域页（只看逾期）": base + f"?year={year}&show=late",
        "对比（10个机关并列）": compare + f"?year={year}" + "".join(f"&agency={a}" for a in some),
        "对比（一个机关的5年）": compare + f"?agency={some[0]}",
    }
    ok = True
    print(f"{'page':<28} {'cold median':>12} {'cold p95':>10} {'warm median':>12} {'warm p95':>10}")
    for label, url in pages.items():
        cold, warm = [], []
        for _ in range(max(3, requests // 5)):
            connection.close()
            start = time.perf_counter()
            response = client.get(url)
            cold.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(url)
            warm.append((time.perf_counter() - start) * 1000)
        row = (statistics.median(cold), percentile(cold, 95), statistics.median(warm), percentile(warm, 95))
        print(f"{label:<24} {row[0]:>10.0f}ms {row[1]:>8.0f}ms {row[2]:>10.0f}ms {row[3]:>8.0f}ms")
        if label.startswith("区域页") and max(row[1], row[3]) > TARGET_MS:
            ok = False
    print(f"target: region page p95 under {TARGET_MS:.0f} ms — {'met' if ok else 'NOT met'}"
          f" (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: other work on the machine slows every figure)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    ensure_database(url, args.fresh)
    setup(url)
    populate(args.agencies, args.years, date.today().year - 1)
    return 0 if measure(args.requests) else 1


if __name__ == "__main__":
    sys.exit(main())
