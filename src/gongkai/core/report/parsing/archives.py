"""Checks on ZIP containers (.docx, .xlsx, .odt, .zip) before anything opens them."""

from __future__ import annotations

import io
import zipfile

from ..errors import ReportReadError

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


def check_zip(data: bytes) -> None:
    """Refuse what is not a ZIP file, and ZIP bombs (huge or extremely compressed members)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception as exc:  # zipfile raises many kinds (BadZipFile, EOFError, struct.error, …)
        raise ReportReadError("broken_file", None, "不是有效的 ZIP 容器（docx/xlsx 文件实为 ZIP 压缩包）") from exc
    if len(infos) > MAX_MEMBERS:
        raise ReportReadError("broken_file", None, f"压缩包内文件过多（{len(infos)} 个）")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise ReportReadError("too_large", None, f"解压后 {total} 字节，上限 {MAX_UNCOMPRESSED} 字节（疑似压缩炸弹）")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise ReportReadError("too_large", None, f"{info.filename} 压缩比异常（疑似压缩炸弹）")
