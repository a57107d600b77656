"""The core is pure Python: it imports no web framework and no terminal library."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_framework():
    code = (
        "import sys, pkgutil, importlib, gongkai.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'gongkai.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('django', 'typer', 'rich', 'click'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_the_two_halves_of_the_core_meet_in_the_standard():
    """``core/report`` (reading, checking, writing reports) never imports ``core/casework`` (the
    daily work's rules); casework borrows only the report writer's official page for its letters."""
    from pathlib import Path
    import re

    core = Path(__file__).resolve().parents[1] / "src" / "gongkai" / "core"
    half_import = re.compile(r"^\s*from\s+(?:gongkai\.core\.|\.+)(report|casework)\b", re.M)
    crossing = []
    for half, other in (("report", "casework"), ("casework", "report")):
        for path in sorted((core / half).rglob("*.py")):
            for m in half_import.finditer(path.read_text(encoding="utf-8")):
                if m.group(1) == other:
                    crossing.append(f"{path.relative_to(core)} imports {other}")
    assert crossing == ["casework/letter_document.py imports report"] * len(crossing) and crossing


def test_no_app_imports_the_demo():
    """The demo (``gongkai.apps.demo``) sits at the top of the dependency order: it uses the
    registry's services, nothing in the application imports it (a rule or a page depending on the
    demo's data would break in a real office)."""
    from pathlib import Path
    import re

    src = Path(__file__).resolve().parents[1] / "src" / "gongkai"
    demo = src / "apps" / "demo"
    imports = re.compile(r"^\s*(?:from\s+gongkai\.apps(?:\s+import\s+[^#\n]*\bdemo\b|\.demo\b)|import\s+gongkai\.apps\.demo\b)",
                         re.M)
    offenders = [str(path.relative_to(src)) for path in sorted(src.rglob("*.py"))
                 if demo not in path.parents and imports.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    # the check itself finds an import of the demo
    assert imports.search("    from gongkai.apps.demo.county import generate\n")
    assert imports.search("from gongkai.apps import cases, demo\n")
