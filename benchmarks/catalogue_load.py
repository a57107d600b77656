"""The public catalogue page under load: gunicorn serving the site (DEBUG off, PostgreSQL), wrk
(a load tool, a separate process) requesting the page; requests per second and latency.

Run: .venv/bin/python benchmarks/catalogue_load.py [--items 1000000] [--workers 4] [--seconds 15]
Needs wrk (Debian package ``wrk``: ``apt-get install -y wrk``) and gunicorn (the "test" extra).
Uses DATABASE_URL (default: the search benchmark's database, postgres://postgres@127.0.0.1:5432/
gongkai_bench_search, whose items ``benchmarks/search.py`` generates; generated here if missing).
Target: at least 200 requests per second for the catalogue page.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import search as search_benchmark  # noqa: E402
from databases import ensure_database  # noqa: E402

TARGET = 200
PORT = 8765


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def run_wrk(url: str, seconds: int, connections: int, threads: int, script: str | None = None
            ) -> tuple[float, str, str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"wrk 收到 {errors.group(1)} 个错误响应：\n{out}")
    return rate, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("需要负载工具 wrk：apt-get install -y wrk")
    url = os.environ.get("DATABASE_URL") or search_benchmark.DEFAULT_URL
    ensure_database(url)
    search_benchmark.setup_django(url)
    import random

    search_benchmark.generate(args.items, random.Random(search_benchmark.SEED))
    from django.db import connection
    from django.db.models import Count

    from gongkai.apps.catalogue.models import Item

    top = (Item.objects.filter(state=Item.State.PUBLISHED).values("agency_id", "category_id")
           .annotate(n=Count("pk")).order_by("-n").first())
    agency_items = Item.objects.filter(state=Item.State.PUBLISHED, agency_id=top["agency_id"]).count()
    connection.close()

    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "benchmark-only-secret",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SETTINGS_MODULE": "gongkai.web.settings"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "gongkai.web.wsgi:application", "--workers", str(args.workers),
                               "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"], env=env,
                              start_new_session=True)
    base = f"http://127.0.0.1:{PORT}/public/agencies/{top['agency_id']}/catalogue/"
    pages = {
        "目录首页（本机关全部信息第1页）": base,
        "目录分类第1页": f"{base}{top['category_id']}/",
        "目录分类第50页": f"{base}{top['category_id']}/?page=50",
    }
    try:
        wait_until_up(base)
        print(f"gunicorn {args.workers} 个进程；wrk {args.connections} 个连接、2 个线程，每页 {args.seconds} 秒；"
              f"本机关已发布信息 {agency_items} 条，全库 {args.items} 条（PostgreSQL）")
        worst = None
        for name, page_url in pages.items():
            run_wrk(page_url, 3, args.connections, 2)  # warm-up: workers' connections and kept pages
            rate, p50, p99 = run_wrk(page_url, args.seconds, args.connections, 2)
            worst = rate if worst is None else min(worst, rate)
            print(f"  {name}：{rate:.0f} 次/秒，延迟 p50 {p50}，p99 {p99}")
        print(f"目标 ≥ {TARGET} 次/秒：{'达到' if worst >= TARGET else '未达到'}（最低 {worst:.0f} 次/秒）")
        # The same pages rendered anew each time: every request asks one of the category's pages at
        # random (thousands of them), so a kept page is seldom asked again within the run.
        category_pages = -(-top["n"] // 20)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            category_url = f"{base}{top['category_id']}/?page="
            script.write(f'math.randomseed(os.time())\nrequest = function()\n'
                         f'  return wrk.format("GET", "{category_url}" .. math.random(1, {category_pages}))\nend\n')
        try:
            rate, p50, p99 = run_wrk(base, args.seconds, args.connections, 2, script.name)
        finally:
            os.unlink(script.name)
        print(f"  不用保存的页面（分类 {category_pages} 页中随机一页，几乎每次重新生成）：{rate:.0f} 次/秒，"
              f"延迟 p50 {p50}，p99 {p99}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
