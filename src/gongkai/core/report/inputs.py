"""Expand the paths a user names (files and folders) into the report files to read."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from .parsing import FOLDER_SUFFIXES


def iter_report_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders searched recursively for supported files (not image files, which
    are read when named), in name order.

    A path that does not exist is yielded as it is, so that the reader reports it.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in FOLDER_SUFFIXES and not child.name.startswith("."):
                    yield child
        else:
            yield path
