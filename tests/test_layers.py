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
