"""Bulk reading and checking: many files, folders, ZIP archives and list files, on all cores.

Untrusted uploads. Every input is read in a worker process with limits: a file larger than
``Limits.max_file_bytes`` is refused from its size (it is never read); a ZIP archive is checked
from its central directory before any member is read (member count, total uncompressed size,
compression ratio); members are read into memory, never extracted to disk, so their names cannot
escape a folder; each worker has an address-space limit; a file that takes longer than the
timeout has its worker killed and replaced. Whatever happens to one file is a result for that
file (status ``error`` with a code and a Chinese message); the batch goes on.

Memory does not grow with the number of inputs: inputs are expanded lazily, at most a few
tasks per worker are in flight, results are yielded in input order as they arrive and written
out one by one (JSON Lines is appended line by line; CSV and Excel are written by streaming the
JSON Lines back), and workers are replaced after ``max_tasks_per_child`` tasks.
"""

from __future__ import annotations

import csv
from collections import deque
import json
import multiprocessing
import os
import signal
import time
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from .checking import RULES, Severity, check_report
from .errors import ReportReadError
from .inputs import AgencyKinds
from .model import report_to_json, table_values
from .parsing import SUPPORTED_SUFFIXES, read_document, read_report
from .spreadsheet import safe_cell, safe_text
from ..standard import TABLES

ARCHIVE_SUFFIXES = (".zip",)
TASKS = ("parse", "check")

# Codes that ReportReadError does not have: what can happen to a file in a batch.
# The codes of bulk processing; their Chinese messages are in errors.ReportReadError.MESSAGES.
BULK_CODES = ("timeout", "internal_error", "worker_crashed", "out_of_memory", "zip_bomb", "archive_too_large", "list_unreadable")
# Results with these codes are not final: a resumed run tries the file again.
RETRY_CODES = frozenset({"timeout", "internal_error", "worker_crashed", "out_of_memory"})

# Hidden test hook: files with this suffix are accepted and make the worker loop forever
# (stands for "a PDF that loops"); only used by the tests and never set in production.
TEST_SLOW_ENV = "GONGKAI_BULK_TEST_SLOW_SUFFIX"


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024  # one report file, or one member of an archive
    max_archive_bytes: int = 2 * 1024 * 1024 * 1024  # a .zip on disk
    max_archive_members: int = 10_000
    max_archive_uncompressed: int = 4 * 1024 * 1024 * 1024  # all members together
    max_ratio: int = 200  # compression ratio of a member over 1 MB
    memory_bytes: int | None = 3 * 1024 * 1024 * 1024  # address space of a worker (RLIMIT_AS)


class Item(NamedTuple):
    """One input to read: a file, or a member of a ZIP archive (``member`` set)."""

    source: str  # as shown: "a/b.pdf" or "a.zip!inner/b.pdf"
    path: str  # the file on disk (the archive for a member)
    member: str | None = None
    fingerprint: str | None = None  # size and mtime (file) or size and CRC (member)
    size: int | None = None
    error: tuple[str, str | None] | None = None  # found unreadable while expanding: (code, detail)


def message_for(code: str, detail: str | None = None) -> str:
    text = ReportReadError(code).message
    return f"{text}：{detail}" if detail else text


def _suffixes() -> tuple[str, ...]:
    slow = os.environ.get(TEST_SLOW_ENV)
    return SUPPORTED_SUFFIXES + ((slow.lower(),) if slow else ())


# ----------------------------------------------------------------------------- expansion


def expand(paths: Iterable[str | Path], limits: Limits = Limits()) -> Iterator[Item]:
    """The inputs a user names, lazily: files as given; folders recursively (supported suffixes
    and .zip, in name order, hidden files skipped); .zip archives member by member; ``@list.txt``
    one path per line (relative to the list's folder; blank lines and ``#`` comments skipped)."""
    suffixes = _suffixes()
    for raw in paths:
        raw = str(raw)
        if raw.startswith("@"):
            yield from _expand_list(Path(raw[1:]), limits)
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                suffix = child.suffix.lower()
                if child.is_file() and (suffix in suffixes or suffix in ARCHIVE_SUFFIXES):
                    yield from _expand_file(child, limits)
        else:
            yield from _expand_file(path, limits)


def _expand_list(list_path: Path, limits: Limits) -> Iterator[Item]:
    try:
        lines = list_path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield Item(f"@{list_path}", str(list_path), error=("list_unreadable", type(exc).__name__))
        return
    base = list_path.parent
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        target = Path(line)
        yield from expand([os.path.normpath(target if target.is_absolute() else base / target)], limits)


def _expand_file(path: Path, limits: Limits) -> Iterator[Item]:
    try:
        st = path.stat()
    except OSError:
        yield Item(str(path), str(path))  # the worker reports not_found / permission
        return
    fingerprint = f"{st.st_size}:{st.st_mtime_ns}"
    if path.suffix.lower() in ARCHIVE_SUFFIXES and path.is_file():
        yield from _expand_archive(path, st.st_size, fingerprint, limits)
    else:
        yield Item(str(path), str(path), None, fingerprint, st.st_size)


def _expand_archive(path: Path, size: int, fingerprint: str, limits: Limits) -> Iterator[Item]:
    """The members of a .zip with a supported suffix, after checks on the central directory
    only (nothing is inflated here)."""
    name = str(path)
    if size > limits.max_archive_bytes:
        yield Item(name, name, None, fingerprint, size, ("archive_too_large", f"{size} 字节，上限 {limits.max_archive_bytes} 字节"))
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception:  # BadZipFile, EOFError, struct.error, …
        yield Item(name, name, None, fingerprint, size, ("broken_file", "不是有效的 ZIP 压缩包"))
        return
    problem = _archive_problem(infos, limits)
    if problem:
        yield Item(name, name, None, fingerprint, size, problem)
        return
    suffixes = _suffixes()
    for info in sorted(infos, key=lambda i: i.filename):
        inner = info.filename
        if info.is_dir() or Path(inner).suffix.lower() not in suffixes:
            continue
        if inner.rsplit("/", 1)[-1].startswith(".") or "__MACOSX" in inner.split("/"):
            continue
        item = Item(f"{name}!{inner}", name, inner, f"{info.file_size}:{info.CRC}", info.file_size)
        if info.flag_bits & 0x1:
            item = item._replace(error=("broken_file", "压缩包内的文件已加密"))
        yield item


def _archive_problem(infos: list[zipfile.ZipInfo], limits: Limits) -> tuple[str, str] | None:
    if len(infos) > limits.max_archive_members:
        return ("zip_bomb", f"压缩包内文件过多（{len(infos)} 个，上限 {limits.max_archive_members} 个）")
    total = sum(i.file_size for i in infos)
    if total > limits.max_archive_uncompressed:
        return ("zip_bomb", f"解压后共 {total} 字节，上限 {limits.max_archive_uncompressed} 字节")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            return ("zip_bomb", f"{info.filename} 压缩比异常（{info.file_size} 字节压缩为 {info.compress_size} 字节）")
    return None


def count(paths: Iterable[str | Path], limits: Limits = Limits()) -> int:
    """How many results ``process`` will give for these paths (for a progress bar)."""
    return sum(1 for _ in expand(paths, limits))


# ----------------------------------------------------------------------------- one file


def _error(item: Item, code: str, message: str, start: float) -> dict[str, Any]:
    return {
        "source": item.source,
        "fingerprint": item.fingerprint,
        "status": "error",
        "error": code,
        "message": message,
        "seconds": round(time.perf_counter() - start, 4),
    }


def run_item(
    item: Item, task: str, limits: Limits = Limits(), slow_suffix: str | None = None, kinds: AgencyKinds = AgencyKinds()
) -> dict[str, Any]:
    """Read (and check) one input; never raises. ``kinds``: the agencies' kinds given (an agency list)."""
    start = time.perf_counter()
    try:
        if item.error:
            return _error(item, item.error[0], message_for(*item.error), start)
        suffix = Path(item.member or item.path).suffix.lower()
        if slow_suffix and suffix == slow_suffix:
            while True:  # test hook: a file that never finishes
                time.sleep(0.05)
        if item.size is not None and item.size > limits.max_file_bytes:
            raise ReportReadError("too_large", item.source, f"{item.size} 字节，上限 {limits.max_file_bytes} 字节")
        if item.member is not None:
            with zipfile.ZipFile(item.path) as zf:
                info = zf.getinfo(item.member)
                if info.file_size > limits.max_file_bytes:
                    raise ReportReadError("too_large", item.source, f"{info.file_size} 字节，上限 {limits.max_file_bytes} 字节")
                with zf.open(info) as member:  # zipfile never inflates beyond the declared size
                    data = member.read(limits.max_file_bytes + 1)
            report = read_document(data, suffix, item.source)
        else:
            p = Path(item.path)
            if p.is_file() and p.stat().st_size > limits.max_file_bytes:
                size = p.stat().st_size
                raise ReportReadError("too_large", item.source, f"{size} 字节，上限 {limits.max_file_bytes} 字节")
            report = read_report(p)
    except ReportReadError as error:
        return _error(item, error.code, error.message, start)
    except MemoryError:
        return _error(item, "out_of_memory", message_for("out_of_memory"), start)
    except Exception as exc:  # a bug or a library failure on a hostile file: this file only
        return _error(item, "internal_error", message_for("internal_error", type(exc).__name__), start)
    try:
        result: dict[str, Any] = {"source": item.source, "fingerprint": item.fingerprint, "status": "ok"}
        if task == "parse":
            result["report"] = report_to_json(report)
        else:
            findings = check_report(kinds.apply(report))
            result.update(
                agency=report.agency,
                year=report.year,
                format=report.format.value,
                summary={s.value: sum(1 for f in findings if f.severity is s) for s in Severity},
                findings=[f.to_json() for f in findings],
                tables={k: (table_values(t) if t is not None else None) for k, t in report.tables.items()},
            )
        result["seconds"] = round(time.perf_counter() - start, 4)
        return result
    except MemoryError:
        return _error(item, "out_of_memory", message_for("out_of_memory"), start)
    except Exception as exc:
        return _error(item, "internal_error", message_for("internal_error", type(exc).__name__), start)


# ----------------------------------------------------------------------------- the pool


def _worker_main(conn, task: str, limits: Limits, slow_suffix: str | None, kinds: AgencyKinds) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    try:
        os.setpgid(0, 0)  # its own process group: a timeout also kills what it started (converters)
    except OSError:
        pass
    if limits.memory_bytes:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        except (ImportError, ValueError, OSError):
            pass
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        index, item = message
        conn.send((index, run_item(item, task, limits, slow_suffix, kinds)))


class _Worker:
    def __init__(self, ctx, task: str, limits: Limits, slow_suffix: str | None, kinds: AgencyKinds):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, task, limits, slow_suffix, kinds), daemon=True)
        self.process.start()
        child.close()
        self.done = 0
        self.index: int | None = None
        self.item: Item | None = None
        self.started = 0.0

    def submit(self, index: int, item: Item) -> None:
        self.index, self.item, self.started = index, item, time.monotonic()
        self.conn.send((index, item))

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                kill = True
        if kill:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (OSError, TypeError):
                pass
            self.process.kill()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _context():
    # fork: workers start at once with the readers already imported, and the caller's main
    # module is not re-run (forkserver and spawn would import it again in every worker).
    # The worker loop touches no lock a parent thread (a progress bar) may hold.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def process(
    items: Iterable[Item | str | Path],
    task: str = "parse",
    workers: int | None = None,
    timeout: float = 60.0,
    limits: Limits = Limits(),
    max_tasks_per_child: int = 500,
    kinds: AgencyKinds = AgencyKinds(),
) -> Iterator[dict[str, Any]]:
    """Read (``task="parse"``) or check (``"check"``) every item in worker processes; yield one
    result per item, in input order, as they are done. Paths are expanded with ``expand``."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}")
    workers = max(1, workers or os.cpu_count() or 1)
    slow = os.environ.get(TEST_SLOW_ENV)
    slow_suffix = slow.lower() if slow else None
    source = _items(items, limits)
    ctx = _context()
    window = workers * 4  # items taken from the input and not yet yielded
    idle: list[_Worker] = []
    busy: dict[Any, _Worker] = {}
    started = 0
    ready_results: dict[int, dict[str, Any]] = {}
    next_index = next_yield = 0
    exhausted = False

    def finish(worker: _Worker, result: dict[str, Any], replace: bool) -> None:
        nonlocal started
        ready_results[worker.index] = result  # type: ignore[index]
        del busy[worker.conn]
        worker.done += 1
        if replace or worker.done >= max_tasks_per_child:
            worker.stop(kill=replace)
            started -= 1
        else:
            idle.append(worker)

    try:
        while True:
            while not exhausted and next_index - next_yield < window:
                if not idle and started >= workers:
                    break
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                index, next_index = next_index, next_index + 1
                if item.error:
                    ready_results[index] = run_item(item, task, limits)
                    continue
                if not idle:
                    idle.append(_Worker(ctx, task, limits, slow_suffix, kinds))
                    started += 1
                worker = idle.pop()
                worker.submit(index, item)
                busy[worker.conn] = worker
            while next_yield in ready_results:
                yield ready_results.pop(next_yield)
                next_yield += 1
            if exhausted and not busy and not ready_results:
                return
            if not busy:
                continue
            now = time.monotonic()
            first_deadline = min(w.started for w in busy.values()) + timeout
            for conn in wait(list(busy), timeout=max(0.0, first_deadline - now)):
                worker = busy[conn]
                try:
                    _, result = conn.recv()
                except (EOFError, OSError):
                    result = run_item(worker.item._replace(error=("worker_crashed", None)), task)  # type: ignore[union-attr]
                    finish(worker, result, replace=True)
                    continue
                finish(worker, result, replace=False)
            now = time.monotonic()
            for worker in [w for w in busy.values() if now - w.started >= timeout]:
                item = worker.item._replace(error=("timeout", f"超过 {timeout:g} 秒"))  # type: ignore[union-attr]
                result = run_item(item, task)
                result["seconds"] = round(now - worker.started, 4)
                finish(worker, result, replace=True)
    finally:
        for worker in list(busy.values()):
            worker.stop(kill=True)
        for worker in idle:
            worker.stop()


def _items(items: Iterable[Item | str | Path], limits: Limits) -> Iterator[Item]:
    for item in items:
        if isinstance(item, Item):
            yield item
        else:
            yield from expand([item], limits)


# ----------------------------------------------------------------------------- results


def cell_columns() -> list[tuple[str, str]]:
    """(key, Chinese label) of every cell of the three tables: ``applications.new_received.total``."""
    out = []
    for table in TABLES:
        for row in (*table.rows, *table.alternative_rows):
            for col in row.columns:
                out.append((f"{table.key}.{row.key}.{col.key}", f"{table.name}·{row.short_label}·{col.label}"))
    return out


BASE_COLUMNS = [
    ("source", "文件"),
    ("status", "状态"),
    ("error", "错误代码"),
    ("message", "说明"),
    ("agency", "机关"),
    ("year", "年度"),
    ("format", "格式"),
    ("errors", "错误数"),
    ("warnings", "警告数"),
    ("notices", "提示数"),
    ("seconds", "用时（秒）"),
]


def columns() -> list[tuple[str, str]]:
    """All columns of the CSV and Excel outputs: (machine key, Chinese label)."""
    return BASE_COLUMNS + cell_columns() + [(rule.id, rule.title) for rule in RULES.values()]


def result_row(result: dict[str, Any]) -> list[Any]:
    """One row of the CSV/Excel output for a result, in ``columns()`` order."""
    report = result.get("report") or {}
    summary = result.get("summary")
    tables = result.get("tables") if "tables" in result else report.get("tables")
    row: list[Any] = [
        result.get("source"),
        result.get("status"),
        result.get("error"),
        result.get("message"),
        result.get("agency", report.get("agency")),
        result.get("year", report.get("year")),
        result.get("format", report.get("format")),
        summary.get("error") if summary else None,
        summary.get("warning") if summary else None,
        summary.get("notice") if summary else None,
        result.get("seconds"),
    ]
    for key, _ in cell_columns():
        table, r, c = key.split(".")
        values = ((tables or {}).get(table) or {}).get(r) or {}
        row.append(values.get(c))
    findings = result.get("findings")
    per_rule: dict[str, int] = {}
    for f in findings or ():
        per_rule[f["rule"]] = per_rule.get(f["rule"], 0) + 1
    for rule_id in RULES:
        row.append(per_rule.get(rule_id, 0) if findings is not None else None)
    return row


def read_results(path: str | Path) -> Iterator[dict[str, Any]]:
    """The results of a JSON Lines file, one by one (a torn last line is skipped)."""
    p = Path(path)
    if not p.exists():
        return
    with p.open(encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


def state_path(out: str | Path) -> Path:
    """The JSON Lines file that holds the results of a run: the output itself for .jsonl,
    else a sidecar ``OUT.jsonl`` (``results.csv`` → ``results.csv.jsonl``)."""
    p = Path(out)
    return p if p.suffix.lower() == ".jsonl" else p.with_name(p.name + ".jsonl")


def done_sources(state: str | Path, task: str) -> dict[str, str | None]:
    """source → fingerprint of the results already final in a state file."""
    done: dict[str, str | None] = {}
    for result in read_results(state):
        if result.get("task", task) != task:
            continue
        if result.get("status") == "error" and result.get("error") in RETRY_CODES:
            done.pop(result.get("source"), None)
            continue
        done[result["source"]] = result.get("fingerprint")
    return done


def compact(state: str | Path) -> None:
    """Keep only the last result of each source in a JSON Lines file (a resumed run that
    redid a changed or failed file appends a newer result)."""
    p = Path(state)
    last: dict[str, int] = {}
    lines = 0
    with p.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            lines += 1
            try:
                last[json.loads(line)["source"]] = n
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    if len(last) == lines:
        return
    keep = set(last.values())
    tmp = p.with_name(f".{p.name}.tmp")
    with p.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n in keep:
                dst.write(line if line.endswith("\n") else line + "\n")
    os.replace(tmp, p)


class JsonlWriter:
    """Appends results to a JSON Lines file, one line each, flushed as they arrive."""

    def __init__(self, path: str | Path, task: str, fresh: bool = False):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.task = task
        self._file = self.path.open("w" if fresh else "a", encoding="utf-8")

    def write(self, result: dict[str, Any]) -> None:
        self._file.write(json.dumps({**result, "task": self.task}, ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def write_csv(results: Iterable[dict[str, Any]], out: str | Path) -> None:
    """CSV (UTF-8 with BOM, for Excel): one header row of machine keys, one row per report."""
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([key for key, _ in columns()])
        for result in results:
            writer.writerow(["" if v is None else safe_cell(v) for v in result_row(result)])
    os.replace(tmp, out)


def write_xlsx(results: Iterable[dict[str, Any]], out: str | Path) -> None:
    """Excel (write-only, streamed): sheet 结果 with a row of machine keys, a row of Chinese
    labels, then one row per report; sheet 规则 with the rules."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cells = range(len(BASE_COLUMNS), len(BASE_COLUMNS) + len(cell_columns()))

    def clean(value: Any, numeric: bool) -> Any:
        if isinstance(value, str):
            if numeric:  # amounts (万元) are decimal strings in the JSON: numbers in Excel
                try:
                    return float(value)
                except ValueError:
                    pass
            return text_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
        return value

    def text_cell(value: str) -> WriteOnlyCell:
        """A string stored as a string (openpyxl would store ``=…`` as a formula), escaped."""
        cell = WriteOnlyCell(sheet, value=safe_text(value))
        cell.data_type = "s"
        return cell

    out = Path(out)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("结果")
    sheet.freeze_panes = "B3"
    cols = columns()
    sheet.append([key for key, _ in cols])
    sheet.append([label for _, label in cols])
    for result in results:
        sheet.append([clean(v, i in cells) for i, v in enumerate(result_row(result))])
    rules = wb.create_sheet("规则")
    rules.append(["id", "severity", "title", "basis"])
    rules.append(["编号", "级别", "说明", "依据"])
    for rule in RULES.values():
        rules.append([safe_cell(v) for v in (rule.id, rule.severity.label, rule.title, rule.basis)])
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    os.replace(tmp, out)


def export(state: str | Path, out: str | Path) -> None:
    """Write the CSV or Excel file ``out`` from the results in the JSON Lines ``state``."""
    suffix = Path(out).suffix.lower()
    if suffix == ".csv":
        write_csv(read_results(state), out)
    elif suffix == ".xlsx":
        write_xlsx(read_results(state), out)
    elif Path(out) != Path(state):
        raise ValueError(f"unsupported output type: {suffix}")


OUTPUT_SUFFIXES = (".jsonl", ".csv", ".xlsx")


def run(
    paths: Iterable[str | Path],
    out: str | Path,
    task: str = "parse",
    workers: int | None = None,
    timeout: float = 60.0,
    redo: bool = False,
    limits: Limits = Limits(),
    kinds: AgencyKinds = AgencyKinds(),
) -> Iterator[dict[str, Any]]:
    """Process the inputs into ``out`` (.jsonl, .csv or .xlsx), skipping those already done
    (same source and fingerprint) unless ``redo``; yields each new result (and each skipped
    one as ``{"source", "status": "skipped"}``) so a caller can show progress. ``redo`` starts
    the output afresh."""
    out = Path(out)
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ValueError(f"unsupported output type: {out.suffix}（支持 .jsonl、.csv、.xlsx）")
    state = state_path(out)
    done = {} if redo else done_sources(state, task)
    writer = JsonlWriter(state, task, fresh=redo)
    try:

        def todo() -> Iterator[Item]:
            for item in expand(paths, limits):
                if item.source in done and done[item.source] == item.fingerprint and item.fingerprint:
                    skipped.append(item.source)
                    continue
                yield item

        skipped: deque[str] = deque()
        for result in process(todo(), task, workers, timeout, limits, kinds=kinds):
            while skipped:
                yield {"source": skipped.popleft(), "status": "skipped"}
            writer.write(result)
            yield result
        while skipped:
            yield {"source": skipped.popleft(), "status": "skipped"}
    finally:
        writer.close()
    compact(state)
    export(state, out)
