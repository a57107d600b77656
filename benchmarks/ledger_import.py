"""Importing an office's 10,000-row ledger (台账) on SQLite: the preview's first problems and the
all-or-nothing import, through the pages a registrar uses.

Run: .venv/bin/python benchmarks/ledger_import.py [--rows 10000] [--runs 5]

A fresh SQLite database in a temporary folder (migrated); a ledger of ``--rows`` applications
generated with openpyxl as an office keeps it (编号, 收到日期, 申请人类别, 申请人, 证件号码 with valid
check characters, 申请方式, 申请内容, 承办人, 是否延期, 办理结果, 答复日期, 答复理由; decided and
open cases, every outcome of table 3 that a ledger records). Each run, into a new agency, through
Django's test Client logged in as the agency's registrar:

- **first problems**: the same ledger with one bad row in fifty (the first at row 5) — the time
  from the preview's request until the streamed page holds its first problem row, and until the
  whole preview (every row checked) has arrived;
- **upload**: the good ledger uploaded (read, kept, header found, mapping guessed);
- **import**: the good ledger imported (read and checked again, all rows created in one transaction).

Targets (issue 15): the import under 30 s, the first problems within 5 s. Figures: median and
95th percentile of ``--runs`` runs, wall-clock; beside them the process's CPU time (one
thread does all the work, so on a busy machine the CPU time is what an idle one would take) and
the load average when the runs ended.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TARGET_IMPORT_S = 30.0
TARGET_FIRST_S = 5.0


def setup(folder: Path) -> None:
    os.environ["GONGKAI_DATA_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.web.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


HEADERS = ["编号", "收到日期", "申请人类别", "申请人", "证件号码", "申请方式", "申请内容", "承办人", "是否延期",
           "办理结果", "答复日期", "答复理由"]
TYPES = ["自然人"] * 8 + ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
CHANNELS = ["网络", "网上申请", "信函", "当面", "传真", "其他"]
OUTCOMES = ["予以公开"] * 6 + ["部分公开", "（三）1.国家秘密", "不予公开（第三方权益）", "（四）1.不掌握", "（四）2.需另行制作",
                               "（五）2.重复申请", "（五）1.信访举报投诉", "（六）3.其他"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def id_number(rng: random.Random) -> str:
    from gongkai.core.casework.identity import id_check_character

    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
    first = f"370102{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first + id_check_character(first)


def ledger(rows: int, bad_every: int = 0, seed: int = 7) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook()  # shared strings, as Excel and WPS save a workbook
    sheet = book.active
    sheet.title = "台账"
    sheet.append(["某县财政局政府信息公开申请台账（2024—2025年）"])
    sheet.append(HEADERS)
    per_year: dict[int, int] = {}
    for index in range(rows):
        received = date(2024, 1, 2) + timedelta(days=rng.randrange(640))
        per_year[received.year] = per_year.get(received.year, 0) + 1
        kind = rng.choice(TYPES)
        person = kind == "自然人"
        outcome = rng.choice(OUTCOMES) if rng.random() < 0.9 else ""
        decided = received + timedelta(days=rng.randrange(1, 25)) if outcome else None
        reasons = "依据《条例》作出答复" if outcome and outcome not in ("予以公开", "（四）1.不掌握", "（四）2.需另行制作",
                                                                  "（五）2.重复申请", "（五）1.信访举报投诉") else ""
        row = [f"{received.year}-{per_year[received.year]:04d}", received, kind,
               (rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋")) if person else f"某某{index}有限公司",
               id_number(rng) if person else "", rng.choice(CHANNELS), f"{received.year}年某项目的相关文件（第{index}件）",
               "王承办" if rng.random() < 0.5 else "", "是" if rng.random() < 0.05 else "否", outcome, decided, reasons]
        if bad_every and index % bad_every == 2:  # the first at row 5 of the sheet
            row[rng.choice([1, 2, 5, 9])] = rng.choice(["2024-02-30", "市民", "飞鸽传书", "看情况"])
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def agency_with_staff(number: int):
    from django.contrib.auth import get_user_model

    from gongkai.apps.agencies.models import Agency, Membership

    User = get_user_model()
    agency = Agency.objects.create(name=f"某县财政局{number}", kind=Agency.Kind.DEPARTMENT)
    registrar = User.objects.create_user(f"registrar{number}")
    handler = User.objects.create_user(f"handler{number}", last_name="王", first_name="承办")
    Membership.objects.create(user=registrar, agency=agency, role=Membership.Role.REGISTRAR)
    Membership.objects.create(user=handler, agency=agency, role=Membership.Role.HANDLER)
    return agency, registrar


def upload(client, content: bytes, name: str) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.apps.ledger.models import ImportBatch

    response = client.post("/imports/applications/", {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:2000].decode("utf-8", "replace")
    return ImportBatch.objects.order_by("-pk").first().pk


def first_problems(client, batch: int) -> tuple[float, float, int]:
    """Seconds until the streamed preview holds a problem row, until it is complete; problems shown."""
    start = time.perf_counter()
    response = client.get(f"/imports/batches/{batch}/")
    first = None
    body = []
    for chunk in response.streaming_content:
        body.append(chunk)
        if first is None and b'<th scope="row">\xe7\xac\xac ' in chunk:  # "第 n 行"
            first = time.perf_counter() - start
    total = time.perf_counter() - start
    page = b"".join(body).decode("utf-8")
    assert first is not None, "no problem shown"
    return first, total, page.count('<th scope="row">第 ')


def stats(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gongkai-bench-ledger-"))
    setup(folder)
    from django.test import Client

    from gongkai.apps.cases.models import Application

    started = time.perf_counter()
    good, bad = ledger(args.rows), ledger(args.rows, bad_every=50)
    print(f"ledgers: {args.rows} rows, {len(good) / 1024:.0f} KiB (good) and {len(bad) / 1024:.0f} KiB "
          f"(one bad row in 50), made in {time.perf_counter() - started:.1f} s; SQLite in {folder}")
    firsts, previews, uploads, imports, import_cpu, preview_cpu = [], [], [], [], [], []
    for run in range(args.runs):
        agency, registrar = agency_with_staff(run)
        client = Client()
        client.force_login(registrar)
        cpu = time.process_time()
        first, total, shown = first_problems(client, upload(client, bad, "台账（有错）.xlsx"))
        preview_cpu.append(time.process_time() - cpu)
        firsts.append(first)
        previews.append(total)
        start = time.perf_counter()
        batch = upload(client, good, "台账.xlsx")
        uploads.append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        response = client.post(f"/imports/batches/{batch}/import/")
        imports.append(time.perf_counter() - start)
        import_cpu.append(time.process_time() - cpu)
        if response.status_code != 302:
            page = b"".join(response.streaming_content).decode("utf-8") if response.streaming else response.content.decode()
            import re
            print(re.findall(r"<strong>没有导入：</strong>[^<]*|<tr><th scope=\"row\">第.*?</tr>", page)[:8])
            return 1
        created = Application.objects.filter(agency=agency).count()
        assert created == args.rows, created
        print(f"run {run + 1}: first problems {first:.2f} s (whole preview {total:.2f} s, {shown} shown), "
              f"upload {uploads[-1]:.2f} s, import {imports[-1]:.2f} s (CPU {import_cpu[-1]:.2f} s, {created} cases)")
    for label, values, target in [("preview: first problems shown", firsts, TARGET_FIRST_S),
                                  ("preview: every row checked", previews, None),
                                  ("  CPU time of the preview", preview_cpu, None),
                                  ("upload (read, keep, map)", uploads, None),
                                  ("import (check again, create all)", imports, TARGET_IMPORT_S),
                                  ("  CPU time of the import", import_cpu, TARGET_IMPORT_S)]:
        median, p95 = stats(values)
        verdict = "" if target is None else ("  OK" if p95 <= target else f"  OVER the {target:.0f} s target")
        print(f"{label:36s} median {median:6.2f} s   p95 {p95:6.2f} s{verdict}")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
