"""The installation's secret key when none is given: made once, kept in the data folder.

``DJANGO_SECRET_KEY`` wins when set. Otherwise the first process to start writes a random key to
``<GONGKAI_DATA_DIR>/secret_key`` (mode 0600) and every later process — and every worker started
at the same time — reads the same key: the key is written to a temporary file first and linked
into place, which fails if another process got there first (then its key is read).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

KEY_FILE = "secret_key"
KEY_BYTES = 48  # 64 characters of URL-safe base64: far more than Django's 50-character minimum


def load_or_create_secret_key(data_dir: Path) -> str:
    """The key kept in ``data_dir``; created (0600, atomically) when there is none."""
    path = Path(data_dir) / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(KEY_BYTES) + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temporary, path)  # atomic; FileExistsError when another process won
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 50:
        raise RuntimeError(f"密钥文件 {path} 内容不完整（The secret key file {path} is truncated; delete it or set DJANGO_SECRET_KEY）")
    return key
