"""README and docs stay true to the code."""

from __future__ import annotations

import re

from gongkai.core import standard
from gongkai.core.report.checking import RULES

from tests.conftest import ROOT


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set-up on a fresh Debian machine", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci


def test_every_rule_is_documented():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### {rule}" in text, rule


def test_glossary_names_every_key():
    text = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    keys = {s.key for s in standard.SECTIONS} | {t.key for t in standard.TABLES}
    for table in standard.TABLES:
        for row in (*table.rows, *table.alternative_rows):
            keys.add(row.key)
            keys.update(row.column_keys)
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert not missing, missing


def test_the_readme_names_only_commands_and_files_that_exist():
    from django.core.management import get_commands

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"gongkai-manage ([a-z_]+)", readme))
    assert {"demo", "load_demo", "send_reminders", "load_holidays", "migrate"} <= commands
    assert commands <= set(get_commands())
    for path in re.findall(r"`((?:docs|benchmarks|examples)/[\w./-]+)`", readme):
        assert (ROOT / path).exists(), path
