"""Two OCR engines on the same pictures: RapidOCR (``rapidocr-onnxruntime``, the project's
engine) and Debian's Tesseract 5 (``tesseract-ocr`` + ``tesseract-ocr-chi-sim``).

For every single table picture of the generated set (``python -m gongkai.testing.pictures``;
the manifest gives each cell's number and its box on the picture), each engine is run two
ways, on one core:

- *page*: detection and recognition over the whole picture (``recognise``); the characters
  found are given to the cell whose box holds their centre;
- *cells*: recognition only, on each data cell cut out by its box (``read_lines``), as the
  project's table reader does once it has found the grid.

Figures: digit accuracy per cell (the digits read in a cell are exactly the number printed;
an empty cell must read empty), label recognition (the text of the header and row-label cells,
compared without spaces and punctuation: exact share and character accuracy), and time per
picture (wall, and CPU time including the engine's child processes), engine load apart.

Tesseract is used only here, for the comparison: the project does not depend on it.
Install it with ``apt-get install tesseract-ocr tesseract-ocr-chi-sim``.

Run: .venv/bin/python benchmarks/ocr_engines.py SET [--engines rapidocr,tesseract] [--json OUT]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.core.report.parsing.ocr.engine import CharBox, TextBox, get_engine, register_engine  # noqa: E402


class TesseractEngine:
    """Tesseract 5 through its command line (TSV output), one thread (``OMP_THREAD_LIMIT=1``).
    ``recognise`` uses page segmentation mode 11 (sparse text: a table's cells are scattered
    words, and modes 3 and 6 join cells of a row into lines less well); ``read_lines`` puts
    every crop on a page of one TIFF and reads them in one process with mode 7 (one line)."""

    name = "tesseract"

    def __init__(self, lang: str = "chi_sim", psm: int = 11) -> None:
        self.binary = shutil.which("tesseract")
        if self.binary is None:
            raise RuntimeError("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
        self.lang, self.psm = lang, psm
        self.env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def _tsv(self, path: str, psm: int) -> list[dict[str, str]]:
        out = subprocess.run(
            [self.binary, path, "stdout", "-l", self.lang, "--psm", str(psm), "tsv"],
            capture_output=True, text=True, env=self.env, check=True,
        ).stdout
        lines = out.splitlines()
        head = lines[0].split("\t")
        return [dict(zip(head, line.split("\t"))) for line in lines[1:] if line.count("\t") >= len(head) - 1]

    @staticmethod
    def _words(rows: list[dict[str, str]]) -> list[tuple[tuple, CharBox]]:
        out = []
        for r in rows:
            text = (r.get("text") or "").strip()
            if r.get("level") != "5" or not text or float(r.get("conf", "-1")) < 0:
                continue
            x, y, w, h = (float(r[k]) for k in ("left", "top", "width", "height"))
            line = (r["page_num"], r["block_num"], r["par_num"], r["line_num"])
            out.append((line, CharBox(text, (x, y, x + w, y + h), float(r["conf"]) / 100)))
        return out

    def recognise(self, image) -> list[TextBox]:
        import cv2

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "page.png")
            cv2.imwrite(path, image)
            words = self._words(self._tsv(path, self.psm))
        lines: dict[tuple, list[CharBox]] = defaultdict(list)
        for line, word in words:
            lines[line].append(word)
        out = []
        for chars in lines.values():
            box = (min(c.box[0] for c in chars), min(c.box[1] for c in chars), max(c.box[2] for c in chars), max(c.box[3] for c in chars))
            out.append(TextBox("".join(c.text for c in chars), box, min(c.confidence for c in chars), tuple(chars)))
        return out

    def read_lines(self, crops: Sequence) -> list[TextBox]:
        from PIL import Image

        if not crops:
            return []
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "cells.tif")
            pages = [Image.fromarray(c[..., ::-1] if c.ndim == 3 else c) for c in crops]
            pages[0].save(path, save_all=True, append_images=pages[1:], compression="tiff_lzw")
            words = self._words(self._tsv(path, 7))
        texts: dict[int, list[CharBox]] = defaultdict(list)
        for line, word in words:
            texts[int(line[0]) - 1].append(word)
        out = []
        for i, crop in enumerate(crops):
            h, w = crop.shape[:2]
            chars = texts.get(i, [])
            out.append(TextBox("".join(c.text for c in chars), (0.0, 0.0, float(w), float(h)),
                               min((c.confidence for c in chars), default=0.0), tuple(chars)))
        return out


register_engine("tesseract", TesseractEngine)

_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_DIGITS = re.compile(r"[0-9.]")
# What a numeric cell allows to be read as a digit: a lone "0" often comes out as the letter o.
_CONFUSABLE = str.maketrans({"o": "0", "O": "0", "〇": "0", "l": "1", "I": "1", "|": "1"})


def _digits(text: str, mapped: bool) -> str:
    return "".join(_DIGITS.findall(text.translate(_CONFUSABLE) if mapped else text))


def _norm(text: str) -> str:
    return "".join(_KEEP.findall(text))


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _pieces(boxes: list[TextBox]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The characters (or, without character boxes, the runs) found, with their boxes."""
    out = []
    for b in boxes:
        if b.chars:
            out += [(c.text, c.box) for c in b.chars]
        else:
            out.append((b.text, b.box))
    return out


def _inside(box, region) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]


def _text_in(pieces, region) -> str:
    found = [(p[1][1] + p[1][3], p[1][0], p[0]) for p in pieces if _inside(p[1], region)]
    # reading order: lines (by the centre's height, in steps of ~ a character), then left to right
    found.sort(key=lambda f: (round(f[0] / 30), f[1]))
    return "".join(f[2] for f in found)


def _expected(value) -> str:
    return "" if value is None else str(value)


def _crop(image, box, inset: float = 0.12, pad: int = 4):
    """The cell's ink: the cell box without its borders, cut down to the dark pixels in it
    (with a margin), as a table reader cuts a cell before recognising it."""
    import numpy as np

    h, w = image.shape[:2]
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * inset / 2 + 2, (y1 - y0) * inset / 2 + 2
    x0, y0 = max(0, int(x0 + dx)), max(0, int(y0 + dy))
    x1, y1 = min(w, int(x1 - dx)), min(h, int(y1 - dy))
    cell = image[y0:max(y0 + 1, y1), x0:max(x0 + 1, x1)]
    grey = cell.mean(axis=2) if cell.ndim == 3 else cell
    dark = grey < min(140.0, float(np.median(grey)) - 60)
    ys, xs = np.nonzero(dark)
    if len(xs) == 0:
        return cell
    ch, cw = cell.shape[:2]
    return cell[max(0, ys.min() - pad):min(ch, ys.max() + pad + 1), max(0, xs.min() - pad):min(cw, xs.max() + pad + 1)]


def _timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = work()
    child2 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_used = time.process_time() - cpu + (child2.ru_utime - child.ru_utime) + (child2.ru_stime - child.ru_stime)
    return result, time.perf_counter() - wall, cpu_used


def measure(engine_name: str, folder: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    import cv2

    (engine, load_wall, load_cpu) = _timed(lambda: get_engine(engine_name))
    page_cells = page_ok = line_cells = line_ok = page_raw = line_raw = 0
    labels = labels_exact = 0
    label_chars = label_errors = 0
    page_times, line_times = [], []
    by_degradation: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # page ok, cells, line ok, cells
    easy = [0, 0, 0, 0]
    for n, item in enumerate(items, 1):
        image = cv2.imread(str(folder / item["file"]), cv2.IMREAD_COLOR)
        table = item["tables"][0]
        truth = item["truth"][table]
        boxes, wall, cpu = _timed(lambda: engine.recognise(image))
        page_times.append((wall, cpu))
        pieces = _pieces(boxes)
        keys = sorted(item["cells"])
        crops = [_crop(image, item["cells"][k]) for k in keys]
        lines, lwall, lcpu = _timed(lambda: engine.read_lines(crops))
        line_times.append((lwall, lcpu))
        g = by_degradation[item["degradation"]["name"]]
        for key, line in zip(keys, lines):
            _, row, column = key.split("/")
            want = _expected(truth[row][column])
            page_text = _text_in(pieces, item["cells"][key])
            got_page, got_line = _digits(page_text, True), _digits(line.text, True)
            page_raw += _digits(page_text, False) == want
            line_raw += _digits(line.text, False) == want
            for counts in (g, easy) if item["easy"] else (g,):
                counts[0] += got_page == want
                counts[1] += 1
                counts[2] += got_line == want
                counts[3] += 1
            page_cells += 1
            page_ok += got_page == want
            line_cells += 1
            line_ok += got_line == want
        for text, box in item["labels"]:
            want, got = _norm(text), _norm(_text_in(pieces, box))
            labels += 1
            labels_exact += want == got
            label_chars += len(want)
            label_errors += min(len(want), _levenshtein(want, got))
        print(f"  {engine_name:<10} [{n}/{len(items)}] {item['id']:<48} page {wall:5.2f} s  cells {lwall:5.2f} s", flush=True)
    return {
        "engine": engine_name,
        "load_s": (round(load_wall, 2), round(load_cpu, 2)),
        "page_digits": (page_ok, page_cells),
        "cell_digits": (line_ok, line_cells),
        "page_digits_raw": (page_raw, page_cells),
        "cell_digits_raw": (line_raw, line_cells),
        "easy": easy,
        "labels_exact": (labels_exact, labels),
        "label_char_accuracy": 1 - label_errors / max(1, label_chars),
        "page_time": page_times,
        "cell_time": line_times,
        "by_degradation": dict(by_degradation),
    }


def _pct(ok: int, n: int) -> str:
    return f"{100 * ok / n:5.1f} %" if n else "  —"


def _median_p95(values: list[float]) -> str:
    xs = sorted(values)
    return f"{statistics.median(xs):5.2f} / {xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]:5.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", type=Path)
    parser.add_argument("--engines", default="rapidocr,tesseract")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pictures")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, children included

    from gongkai.testing.pictures import load_manifest

    manifest = load_manifest(args.set)
    items = [i for i in manifest["items"] if i["id"].startswith("p")]
    if args.limit:
        items = items[: args.limit]
    results = [measure(name, args.set, items) for name in args.engines.split(",")]

    print(f"\nmachine: {platform.python_implementation()} {platform.python_version()}, 1 core, load average "
          f"{os.getloadavg()[0]:.1f}; {len(items)} pictures (set {manifest['size']}, seed {manifest['seed']})")
    print(f"{'engine':<10} {'load s':>7} {'digits/page':>12} {'digits/cells':>13} {'easy page':>10} {'easy cells':>11} "
          f"{'labels exact':>13} {'label chars':>12} {'page s (med/p95, CPU)':>22} {'cells s (med/p95, CPU)':>23}")
    for r in results:
        print(
            f"{r['engine']:<10} {r['load_s'][0]:>7.2f} {_pct(*r['page_digits']):>12} {_pct(*r['cell_digits']):>13} "
            f"{_pct(r['easy'][0], r['easy'][1]):>10} {_pct(r['easy'][2], r['easy'][3]):>11} "
            f"{_pct(*r['labels_exact']):>13} {100 * r['label_char_accuracy']:>11.1f}% "
            f"{_median_p95([t[1] for t in r['page_time']]):>22} {_median_p95([t[1] for t in r['cell_time']]):>23}"
        )
    print("\nwithout mapping o→0, l/I→1 (page / cells): " + "; ".join(
        f"{r['engine']} {_pct(*r['page_digits_raw'])} / {_pct(*r['cell_digits_raw'])}" for r in results))
    print("\ndigit accuracy per cell by degradation (page / cells):")
    names = sorted({d for r in results for d in r["by_degradation"]})
    print(f"{'degradation':<20}" + "".join(f"{r['engine']:>24}" for r in results))
    for d in names:
        row = f"{d:<20}"
        for r in results:
            g = r["by_degradation"].get(d, [0, 0, 0, 0])
            row += f"{_pct(g[0], g[1]) + ' / ' + _pct(g[2], g[3]):>24}"
        print(row)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
