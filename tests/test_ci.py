"""``.ci/run``: with CI set, a PostgreSQL that does not answer fails the run before anything else."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_fails_when_postgresql_does_not_answer(tmp_path):
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "pg_isready").write_text("#!/bin/sh\nexit 2\n")  # "no response"
    (stub / "pg_isready").chmod(0o755)
    env = {**os.environ, "CI": "true", "PATH": f"{stub}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "PostgreSQL 没有应答" in result.stderr and "refusing to pass" in result.stderr
    assert "pytest" not in result.stdout  # nothing ran: no green without the database tests
