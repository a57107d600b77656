"""Concurrent registrations: 8 threads registering 200 applications in one agency, on SQLite and on
PostgreSQL — the errors (target: none), and the median and 95th percentile of one registration.

Run: .venv/bin/python benchmarks/concurrent_writes.py [--threads 8] [--applications 200] [--json]
     .venv/bin/python benchmarks/concurrent_writes.py --sqlite PATH      # one SQLite file only
     .venv/bin/python benchmarks/concurrent_writes.py --postgres URL     # one PostgreSQL database only

Without ``--sqlite``/``--postgres`` both run, each in its own process (Django's settings are made
once per process): SQLite in a new file in a temporary folder, PostgreSQL at
``postgres://postgres@127.0.0.1:5432/gongkai_bench_concurrent`` (created if missing; skipped with a
note when no server answers). Each run migrates its database, adds a new agency and registrar,
and lets the threads call ``register_application`` — the registry's service, serial numbers and
history included — each on its own database connection, as gunicorn's workers would.

SQLite takes the writers thanks to the settings of ``gongkai.web.settings.sqlite_database``: WAL,
a busy timeout and BEGIN IMMEDIATE (without them most of the writers fail with "database is
locked"). Output: one line per database, or with ``--json`` a list of objects with ``database``,
``registered``, ``errors``, ``median_ms``, ``p95_ms`` and ``serials``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from databases import ensure_postgres  # noqa: E402 - beside this script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/gongkai_bench_concurrent"


def run_one(url: str, threads: int, applications: int) -> dict:
    """Register ``applications`` applications from ``threads`` threads in the database of ``url``."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    # Registration tells each applicant (online.notify): the messages are made and "sent" as in
    # production, but kept in memory rather than printed, so that stdout stays this script's own
    # (--json is read by tests/web/test_security.py).
    os.environ.setdefault("GONGKAI_SMS_BACKEND", "gongkai.apps.online.sms.LocmemBackend")
    os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    from gongkai.apps.agencies.models import Agency, Membership
    from gongkai.apps.cases.models import Application
    from gongkai.apps.cases.services import register_application

    call_command("migrate", interactive=False, verbosity=0)
    stamp = f"{os.getpid()}-{time.time_ns()}"
    agency = Agency.objects.create(name=f"并发测试局{stamp}", kind=Agency.Kind.DEPARTMENT)
    user = get_user_model().objects.create_user(f"registrar-{stamp}")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.REGISTRAR)
    connections.close_all()

    fields = dict(applicant_type="natural_person", applicant_name="张三", id_type="居民身份证",
                  id_number="11010519491231002X", phone="13800000000", channel="online",
                  received_on=date.today(), description="2025年部门预算公开表")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def work(count: int) -> None:
        start.wait()
        try:
            for _ in range(count):
                began = time.perf_counter()
                try:
                    register_application(user, agency, **fields)
                except Exception as error:  # noqa: BLE001 - every failure is what this measures
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                else:
                    with lock:
                        latencies.append(time.perf_counter() - began)
        finally:
            connections.close_all()

    shares = [applications // threads + (1 if n < applications % threads else 0) for n in range(threads)]
    workers = [threading.Thread(target=work, args=(share,)) for share in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    serials = sorted(Application.objects.filter(agency=agency).values_list("serial", flat=True))
    ordered = sorted(latencies)
    return {
        "database": connections["default"].vendor,
        "threads": threads,
        "registered": len(serials),
        "errors": errors,
        "median_ms": round(statistics.median(ordered) * 1000, 1) if ordered else None,
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1) if ordered else None,
        "serials": serials,
    }


def show(run: dict) -> str:
    return (f"{run['database']:<10} {run['threads']} threads: {run['registered']} registered, "
            f"{len(run['errors'])} errors, median {run['median_ms']} ms, p95 {run['p95_ms']} ms"
            + (f"\n  first error: {run['errors'][0]}" if run["errors"] else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--applications", type=int, default=200)
    parser.add_argument("--sqlite", help="only this SQLite file (created and migrated)")
    parser.add_argument("--postgres", help="only this PostgreSQL URL")
    parser.add_argument("--json", action="store_true", help="JSON on stdout")
    args = parser.parse_args()
    if args.sqlite or args.postgres:
        url = f"sqlite:///{Path(args.sqlite).resolve()}" if args.sqlite else args.postgres
        if args.postgres and not ensure_postgres(args.postgres):
            print(f"PostgreSQL does not answer at {args.postgres}", file=sys.stderr)
            return 2
        run = run_one(url, args.threads, args.applications)
        print(json.dumps([run], ensure_ascii=False) if args.json else show(run))
        return 0
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        targets = [["--sqlite", str(Path(folder) / "bench.sqlite3")]]
        if ensure_postgres(DEFAULT_POSTGRES):
            targets.append(["--postgres", DEFAULT_POSTGRES])
        else:
            print(f"(no PostgreSQL at {DEFAULT_POSTGRES}: SQLite only)", file=sys.stderr)
        for target in targets:
            command = [sys.executable, __file__, *target, "--threads", str(args.threads),
                       "--applications", str(args.applications), "--json"]
            env = {**os.environ, "GONGKAI_DATA_DIR": folder}
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            runs += json.loads(done.stdout)
    if args.json:
        print(json.dumps(runs, ensure_ascii=False))
    else:
        for run in runs:
            print(show(run))
    return 1 if any(run["errors"] for run in runs) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
