from __future__ import annotations

import shutil
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


# System tools that scripts/setup installs. A test marked ``needs_tools("soffice", ...)`` FAILS when
# one is missing: a machine without them has not been set up, and a skipped test is no pass.
TOOLS = {
    "soffice": "libreoffice-writer-nogui",
    "pdftoppm": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftotext": "poppler-utils",
    "fc-list": "fontconfig",
    "fc-match": "fontconfig",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_tools(*names): system tools scripts/setup installs; fails without them")


def pytest_runtest_setup(item):
    for marker in item.iter_markers("needs_tools"):
        missing = [tool for tool in marker.args if shutil.which(tool) is None]
        if missing:
            packages = " ".join(sorted({TOOLS.get(tool, tool) for tool in missing}))
            pytest.fail(f"缺少 {'、'.join(missing)}：请运行 ./scripts/setup（apt-get install {packages}）", pytrace=False)
        if "fc-list" in marker.args or "fc-match" in marker.args:
            require_cjk_font()


def require_cjk_font() -> None:
    """The CJK fonts (fonts-noto-cjk) the Word and PDF output needs: fail without them."""
    import subprocess

    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=60).stdout
    if not found.strip():
        pytest.fail("缺少中文字体：请运行 ./scripts/setup（apt-get install fonts-noto-cjk）", pytrace=False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file (WAL, a busy timeout: the production settings), not
    Django's shared-cache memory database: the task queue's tests run a Celery worker thread that
    writes while the test reads, and a shared-cache database locks whole tables (SQLITE_LOCKED,
    which no busy timeout waits for)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")
