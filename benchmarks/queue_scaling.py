"""Reading and checking many reports through the task queue, with 1 worker and with 2 workers
(separate worker processes, concurrency 1 each, as on two machines): the time of each run, the
median and 95th percentile of one report, and the ratio of the two times (target: 2 workers take
at most 60 % of the time of 1).

Run: .venv/bin/python benchmarks/queue_scaling.py [--count 10000] [--workers 1,2] [--json]
         [--database URL] [--queue-url redis://127.0.0.1:6379/2] [--keep FOLDER]

The inputs are the five seed reports rendered by the project's writers in several formats (text,
Word, HTML, Markdown, Excel and PDF), each file made unique (a trailing comment, an archive
comment) so that no two have the same content; they are made once into a temporary folder (or
``--keep FOLDER``, reused when it holds enough). Each run queues one ``read`` job of all of them
for a new region (duplicates are found within a region) with the workers already started and
idle, and is timed from the job's start to its end as the database records them. The database is
PostgreSQL at ``postgres://postgres@127.0.0.1:5432/gongkai_bench_queue`` (created if missing)
when it answers, else a new SQLite file; Redis at ``--queue-url``, on a queue name of the run's
own.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlparse
from databases import ensure_postgres  # noqa: E402 - beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/gongkai_bench_queue"
# format -> share of the inputs (PDF is the slowest to read, and the rarest here as in practice
# reports are as often Word or web pages)
MIX = {"txt": 3, "docx": 3, "html": 3, "md": 1, "xlsx": 1, "pdf": 1}


def unique(data: bytes, fmt: str, n: int) -> bytes:
    """``data`` made different from every other input, still read the same."""
    if fmt in ("docx", "xlsx"):
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as zf:
            zf.comment = f"gongkai benchmark {n}".encode()
        return buffer.getvalue()
    if fmt == "pdf":
        return data + f"\n% gongkai benchmark {n}\n".encode()
    if fmt == "html":
        return data + f"\n<!-- gongkai benchmark {n} -->\n".encode()
    return data + f"\n\n（样本 {n}）\n".encode()


def make_inputs(folder: Path, count: int) -> list[Path]:
    """``count`` report files in ``folder`` (reused when already there)."""
    from gongkai.core.report.parsing import read_report
    from gongkai.core.report.render import build_document, render

    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.*"))
    if len(existing) >= count:
        return existing[:count]
    seeds = sorted((ROOT / "examples").glob("*.txt"))
    base: dict[tuple[int, str], bytes] = {}
    for i, seed in enumerate(seeds):
        base[(i, "txt")] = seed.read_bytes()
        doc = build_document(read_report(seed))
        for fmt in MIX:
            if fmt != "txt":
                base[(i, fmt)] = render(doc, fmt)
    order = [fmt for fmt, share in MIX.items() for _ in range(share)]
    paths = []
    for n in range(count):
        fmt = order[n % len(order)]
        seed = (n // len(order)) % len(seeds)
        path = folder / f"{n:05d}-{seed}.{fmt}"
        if not path.exists():
            path.write_bytes(unique(base[(seed, fmt)], fmt, n))
        paths.append(path)
    return paths


def setup_django(database: str, queue_url: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ["GONGKAI_QUEUE_URL"] = queue_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def start_workers(count: int, env: dict) -> tuple[list[subprocess.Popen], list[str]]:
    from gongkai.web.queue import app

    names = [f"bench{n}-{uuid.uuid4().hex[:6]}@localhost" for n in range(count)]
    workers = [subprocess.Popen([sys.executable, "-m", "celery", "-A", "gongkai.web.queue", "worker", "--concurrency", "1",
                                 "--pool", "prefork", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
                                 "--hostname", name], env=env, stdout=subprocess.DEVNULL)
               for name in names]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        answered = {name for reply in (app.control.ping(destination=names, timeout=1.0) or []) for name in reply}
        if answered >= set(names):
            return workers, names
    stop(workers)
    raise SystemExit("the workers did not start")


def stop(workers: list[subprocess.Popen]) -> None:
    for w in workers:
        w.terminate()
    for w in workers:
        try:
            w.wait(timeout=30)
        except subprocess.TimeoutExpired:
            w.kill()


def run_once(paths: list[Path], workers: int, database: str, queue_url: str) -> dict:
    from gongkai.apps.agencies.models import Agency
    from gongkai.apps.supervision.intake import file_inputs
    from gongkai.apps.supervision.jobs import start_job
    from gongkai.apps.supervision.models import Job
    from gongkai.web.queue import app

    queue = f"gongkai-bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    env = {**os.environ, "DATABASE_URL": database, "GONGKAI_QUEUE_URL": queue_url, "GONGKAI_QUEUE_NAME": queue,
           "PYTHONPATH": str(ROOT / "src")}
    region = Agency.objects.create(name=f"基准测试地区{uuid.uuid4().hex[:8]}", kind=Agency.Kind.COUNTY)
    for name in ("兴隆庄街道", "小孟镇人民政府", "王因街道办事处", "王府街道办事处", "西南隅街道办事处"):
        Agency.objects.create(name=name, kind=Agency.Kind.TOWNSHIP, parent=region)
    procs, _ = start_workers(workers, env)
    try:
        stored = time.perf_counter()
        job = start_job(region, Job.Kind.READ, {}, None, file_inputs(paths))
        stored = time.perf_counter() - stored
        while True:
            job.refresh_from_db()
            if job.state in (Job.State.DONE, Job.State.FAILED):
                break
            time.sleep(0.5)
    finally:
        stop(procs)
    seconds = sorted(s for s in job.items.values_list("seconds", flat=True) if s is not None)
    elapsed = (job.finished_at - job.started_at).total_seconds()
    return {
        "workers": workers, "reports": job.total, "done": job.done, "failed": job.failed, "state": job.state,
        "summary": job.summary.get("items"), "store_seconds": round(stored, 2), "seconds": round(elapsed, 2),
        "per_second": round(job.total / elapsed, 1) if elapsed else None,
        "median_ms": round(statistics.median(seconds) * 1000, 1) if seconds else None,
        "p95_ms": round(seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))] * 1000, 1) if seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, e.g. 1,2")
    parser.add_argument("--database", help="DATABASE_URL (default: PostgreSQL if it answers, else a new SQLite file)")
    parser.add_argument("--queue-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--keep", type=Path, help="folder for the generated inputs (reused)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    temp = tempfile.mkdtemp(prefix="gongkai-queue-bench-")
    database = args.database or (DEFAULT_POSTGRES if ensure_postgres(DEFAULT_POSTGRES) else f"sqlite:///{temp}/bench.sqlite3")
    os.environ.setdefault("GONGKAI_DATA_DIR", temp)
    paths = make_inputs(args.keep or Path(temp) / "inputs", args.count)
    setup_django(database, args.queue_url)
    results = [run_once(paths, int(n), database, args.queue_url) for n in args.workers.split(",")]
    if args.json:
        print(json.dumps({"database": urlparse(database).scheme, "results": results}, ensure_ascii=False, indent=2))
        return
    print(f"database: {urlparse(database).scheme}; inputs: {len(paths)} ({', '.join(MIX)})")
    for r in results:
        print(f"{r['workers']} worker(s): {r['seconds']} s for {r['reports']} reports ({r['per_second']}/s; "
              f"median {r['median_ms']} ms, p95 {r['p95_ms']} ms per report; failed {r['failed']}; "
              f"storing the inputs {r['store_seconds']} s) {r['summary']}")
    if len(results) >= 2 and results[0]["seconds"]:
        ratio = results[-1]["seconds"] / results[0]["seconds"]
        print(f"ratio {results[-1]['workers']} workers / {results[0]['workers']} worker: {ratio:.0%} (target ≤ 60 %)")


if __name__ == "__main__":
    main()
