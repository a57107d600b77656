"""The project's reader on the generated set of table pictures: how many cells come out exact,
how many are flagged, how many are silently wrong (must be 0), per container and per
degradation, and the share exact on the pictures a person reads without effort.

The set is made by ``python -m gongkai.testing.pictures`` (built here first if the folder has
no manifest): tables 2, 3 and 4 of real reports in ten styles and twelve degradations, as
image files, Word reports, saved HTML pages (pictures beside the page and ``data:`` URIs),
PDFs with the tables as pictures and scanned PDFs. Every file is read as a user's file is
(``read_report``), and every cell of the manifest's ground truth is scored:

- exact: the number read is the number printed (or a cell that holds no number is read as
  holding none);
- flagged: the cell is ``uncertain`` (with candidates), unreadable or missing, or its table
  was not found (unread) — a person is told to look;
- silently wrong: a number (or an empty cell) that is not what is printed, without a flag.

Run: .venv/bin/python benchmarks/ocr_set.py SET [--build small|full] [--seed 1] [--records OUT.jsonl]
Target (issue 14): 0 silently wrong; at least 95 % exact on the easy pictures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

EXACT, FLAGGED, WRONG = "exact", "flagged", "wrong"


def score_report(report, truth: dict[str, dict[str, dict[str, Any] | None]]) -> list[tuple[str, str, str, str]]:
    """(table, row, column, outcome) for every cell of the ground truth. ``report`` is None
    when the file could not be read at all (every cell unread, so flagged)."""
    from gongkai.core.report.model import CellStatus, json_number

    out = []
    for key, rows in truth.items():
        table = report.table(key) if report is not None else None
        for row, columns in rows.items():
            if columns is None:  # a row the printed table does not have
                continue
            for column, expected in columns.items():
                cell = table.rows.get(row, {}).get(column) if table is not None else None
                if cell is None or cell.status in (CellStatus.UNCERTAIN, CellStatus.UNREADABLE, CellStatus.MISSING):
                    outcome = FLAGGED
                elif cell.is_number:
                    decimal = table.spec.row(row).column(column).decimal
                    outcome = EXACT if json_number(cell.value, decimal) == expected else WRONG
                else:  # read as blank, "—", "/", "无": right only where no number is printed
                    outcome = EXACT if expected is None else WRONG
                out.append((key, row, column, outcome))
    return out


def read_item(folder: Path, item: dict[str, Any]) -> tuple[Any, str | None, float, float]:
    from gongkai.core.report.errors import ReportReadError
    from gongkai.core.report.parsing import read_report

    wall, cpu = time.perf_counter(), time.process_time()
    try:
        report, error = read_report(folder / item["file"]), None
    except ReportReadError as e:
        report, error = None, e.code
    except Exception as e:  # noqa: BLE001 — a reader that crashes is measured (and named), not fatal
        report, error = None, f"crash {type(e).__name__}: {e}"
    return report, error, time.perf_counter() - wall, time.process_time() - cpu


def measure_item(folder: Path, item: dict[str, Any]) -> dict[str, Any]:
    """Read one file of the set and score every cell of its ground truth."""
    report, error, wall, cpu = read_item(folder, item)
    outcomes: dict[str, dict[str, int]] = {t: {EXACT: 0, FLAGGED: 0, WRONG: 0} for t in item["truth"]}
    wrong = []
    for table, row, column, outcome in score_report(report, item["truth"]):
        outcomes[table][outcome] += 1
        if outcome == WRONG:
            cell = report.table(table).rows[row][column]
            wrong.append({"item": item["id"], "cell": f"{table}/{row}/{column}",
                          "printed": item["truth"][table][row][column],
                          "read": [cell.raw, cell.status.value, None if cell.value is None else str(cell.value)]})
    single = item["id"].startswith("p")
    return {
        "id": item["id"], "container": item["container"], "degradation": item["degradation"]["name"],
        "look": item["style"].get("look", "project"), "easy": item["easy"],
        "kind": f"picture {item['tables'][0]}" if single else item["container"],
        "error": error, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "outcomes": outcomes, "wrong": wrong,
    }


def _share(n: int, total: int) -> str:
    return f"{100 * n / total:5.1f} %" if total else "    —"


def _print_group(title: str, groups: dict[str, dict[str, int]]) -> None:
    print(f"\n{title:<22} {'cells':>6} {'exact':>8} {'flagged':>8} {'wrong':>6}")
    for name in sorted(groups):
        g = groups[name]
        total = g[EXACT] + g[FLAGGED] + g[WRONG]
        print(f"{name:<22} {total:>6} {_share(g[EXACT], total):>8} {_share(g[FLAGGED], total):>8} {g[WRONG]:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path, help="folder of the generated set (manifest.json)")
    parser.add_argument("--build", choices=("small", "full"), default="small", help="size to build if the folder has no manifest")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--records", type=Path, help="JSON lines, one per file measured; files already in it are not read again")
    parser.add_argument("--only", help="only items whose id contains this text")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    from gongkai.testing.pictures import MANIFEST, build_set, load_manifest

    if not (args.set / MANIFEST).is_file():
        args.set.mkdir(parents=True, exist_ok=True)
        print(f"building the {args.build} set in {args.set} …", flush=True)
        build_set(args.set, args.build, args.seed)
    manifest = load_manifest(args.set)
    items = [i for i in manifest["items"] if not args.only or args.only in i["id"]]

    done: dict[str, dict[str, Any]] = {}
    if args.records and args.records.is_file():  # resume: the files already measured are not read again
        for line in args.records.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                done[record["id"]] = record
    records = []
    for n, item in enumerate(items, 1):
        record = done.get(item["id"]) or measure_item(args.set, item)
        if item["id"] not in done and args.records:
            with args.records.open("a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        records.append(record)
        counts = {o: sum(t[o] for t in record["outcomes"].values()) for o in (EXACT, FLAGGED, WRONG)}
        print(
            f"[{n}/{len(items)}] {item['id']:<48} {record['wall_s']:6.2f} s  exact {counts[EXACT]:>3}  "
            f"flagged {counts[FLAGGED]:>3}  wrong {counts[WRONG]:>2}{'  ' + record['error'] if record['error'] else ''}",
            flush=True,
        )

    by_container: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_degradation: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_look: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    easy: dict[str, int] = defaultdict(int)
    overall: dict[str, int] = defaultdict(int)
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    wrong_cells = [w for r in records for w in r["wrong"]]
    for r in records:
        if r["error"]:
            errors[r["error"]] += 1
        if r["cpu_s"] is not None:  # (records carried over from a log have no CPU time)
            times[r["kind"]].append((r["wall_s"], r["cpu_s"]))
        for table, outcomes in r["outcomes"].items():
            for outcome, count in outcomes.items():
                overall[outcome] += count
                by_container[r["container"]][outcome] += count
                by_degradation[r["degradation"]][outcome] += count
                by_table[table][outcome] += count
                by_look[r["look"]][outcome] += count
                if r["easy"]:
                    easy[outcome] += count

    print(f"\nmachine: {platform.python_implementation()} {platform.python_version()}, 1 core; "
          f"set: {manifest['size']}, seed {manifest['seed']}, {len(items)} files, sources {', '.join(manifest['sources'])}")
    _print_group("container", by_container)
    _print_group("degradation", by_degradation)
    _print_group("table", by_table)
    _print_group("font look", by_look)
    total = sum(overall.values())
    easy_total = sum(easy.values())
    print(f"\nall cells: {total}, exact {_share(overall[EXACT], total)}, flagged {_share(overall[FLAGGED], total)}, "
          f"silently wrong {overall[WRONG]}")
    blank = sum(1 for w in wrong_cells if w["read"][1] != "number")
    print(f"  of which a number other than the one printed: {len(wrong_cells) - blank}; "
          f"read as empty (or —, /) where a number is printed, or the reverse: {blank}")
    print(f"easy pictures: {easy_total} cells, exact {_share(easy[EXACT], easy_total)} (target ≥ 95 %)")
    if errors:
        print("files not read: " + ", ".join(f"{k} × {v}" for k, v in sorted(errors.items())))
    print("\nread time per file (wall / CPU, seconds): median, p95")
    for kind in sorted(times):
        walls = sorted(t[0] for t in times[kind])
        cpus = sorted(t[1] for t in times[kind])
        p95 = lambda xs: xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]  # noqa: E731
        print(f"  {kind:<30} n={len(walls):>3}  wall {statistics.median(walls):6.2f} / {p95(walls):6.2f}   "
              f"CPU {statistics.median(cpus):6.2f} / {p95(cpus):6.2f}")
    if wrong_cells:
        print("\nsilently wrong cells:")
        for w in wrong_cells:
            print(f"  {w['item']}  {w['cell']}: printed {w['printed']!r}, read {w['read']!r}")


if __name__ == "__main__":
    main()
