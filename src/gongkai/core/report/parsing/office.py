""".doc, .wps, .rtf and .odt: converted to .docx with LibreOffice, then read as .docx.

LibreOffice (``soffice``) runs headless in a private temporary folder with its own user
profile, so that it neither touches the user's profile nor collides with another running
instance. The conversion has a time limit; on timeout the whole process group is killed.
Without LibreOffice on the PATH the reader says so (``converter_missing``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import ReportReadError
from .docx import docx_to_text

CONVERT_TIMEOUT = 120  # seconds
OFFICE_SUFFIXES = (".doc", ".wps", ".rtf", ".odt")


def find_soffice() -> str | None:
    """The LibreOffice executable on the PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_files(paths: list[Path], fmt: str, outdir: Path, timeout: float = CONVERT_TIMEOUT) -> None:
    """Convert files with one headless LibreOffice call (``fmt`` as for --convert-to).

    Raises ReportReadError: ``converter_missing``, ``conversion_timeout``, ``conversion_failed``.
    """
    soffice = find_soffice()
    if soffice is None:
        raise ReportReadError("converter_missing")
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-profile-") as profile:
        command = [
            soffice,
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *(str(p) for p in paths),
        ]
        env = {**os.environ, "HOME": profile}
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,  # its own process group, killed as a whole on timeout
            )
        except OSError as error:
            raise ReportReadError("conversion_failed", None, str(error)) from error
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.communicate()
            raise ReportReadError("conversion_timeout", None, f"LibreOffice 超过 {timeout:g} 秒未完成转换") from None
    if process.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip()[:300]
        raise ReportReadError("conversion_failed", None, f"LibreOffice 退出码 {process.returncode}：{detail}")


def office_to_text(data: bytes, suffix: str) -> str:
    """Text lines of a .doc/.wps/.rtf/.odt document (converted to .docx by LibreOffice)."""
    suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    if find_soffice() is None:
        raise ReportReadError("converter_missing")
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        folder = Path(tmp)
        source = folder / f"report{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        out.mkdir()
        convert_files([source], "docx", out)
        target = out / "report.docx"
        if not target.is_file() or target.stat().st_size == 0:
            raise ReportReadError("conversion_failed", None, "LibreOffice 未能生成 .docx 文件（文件可能已损坏或不是该类型）")
        return docx_to_text(target.read_bytes())


def doc_to_text(data: bytes) -> str:
    return office_to_text(data, ".doc")


def wps_to_text(data: bytes) -> str:
    return office_to_text(data, ".wps")


def rtf_to_text(data: bytes) -> str:
    return office_to_text(data, ".rtf")


def odt_to_text(data: bytes) -> str:
    return office_to_text(data, ".odt")
