from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = {p.name[:3]: p for p in sorted(EXAMPLES.glob("*.txt"))}
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_paths() -> dict[str, Path]:
    assert len(SEEDS) == 5, "the five seed reports must be in examples/"
    return SEEDS


def seed_text(key: str) -> str:
    return SEEDS[key].read_text(encoding="utf-8")
