"""``gongkai case simulate``: scenarios through the lifecycle's rules, without a database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.casework.simulate import STEP_FIELDS, ScenarioError, parse_scenario, simulate_text

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "examples" / "scenarios").glob("*.yaml"))

# What each example must give: (ok of each step, due, provisional, payment_due, outcome, review_first).
EXPECTED = {
    "fee-by-post.yaml": ([True] * 4, "2026-04-16", False, "2026-04-13", "denied_state_secret", True),
    "correction-lapsed.yaml": ([False, True, False, True], "2026-03-30", False, None, "other_no_correction", False),
    "not-held-other-agency.yaml": ([False, True], "2026-06-08", False, None, "unable_not_held", False),
    "consultation-partial.yaml": ([True, True, True, False, True], "2026-11-26", False, None, "partial", True),
    "excessive-art35.yaml": ([False, True, True, True], "2026-06-30", False, None, "rejected_excessive", False),
    "provisional-2027.yaml": ([True, False], "2027-01-18", True, None, None, None),
}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai", "case", "simulate", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


def test_every_example_is_expected():
    assert len(SCENARIOS) >= 4 and {p.name for p in SCENARIOS} == set(EXPECTED)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_example_scenario_through_the_cli(path):
    result = cli(str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    oks, due, provisional, payment_due, outcome, review_first = EXPECTED[path.name]
    assert [s["ok"] for s in data["steps"]] == oks
    assert all(set(s) >= {"step", "on", "ok", "reason"} and s["reason"] for s in data["steps"])
    assert (data["due"], data["provisional"], data["payment_due"], data["outcome"]) == (
        due, provisional, payment_due, outcome)
    if review_first is None:
        assert data["remedy"] is None
    else:
        assert data["remedy"]["review_first"] is review_first and "行政复议" in data["remedy"]["text"]
    text = cli(str(path))
    assert text.returncode == 0 and "答复期限" in text.stdout


def test_refusals_carry_the_legal_reason():
    data = json.loads(cli(str(ROOT / "examples/scenarios/provisional-2027.yaml"), "--json").stdout)
    assert "暂定" in data["steps"][1]["reason"] and "节假日" in data["steps"][1]["reason"]
    data = json.loads(cli(str(ROOT / "examples/scenarios/excessive-art35.yaml"), "--json").stdout)
    assert "第三十五条" in data["steps"][0]["reason"]


BAD = {
    "not-yaml.yaml": ("steps: [unclosed", "YAML"),
    "a-list.yaml": ("- 1\n- 2\n", "映射"),
    "unknown-step.yaml": ("agency_kind: township\nreceived: 2026-03-02\nsteps:\n  - {on: 2026-03-03, step: fly}\n", "无法识别"),
    "bad-date.yaml": ("agency_kind: township\nreceived: 2026-02-30\nsteps: []\n", "日期"),
    "bad-step-date.yaml": ("agency_kind: township\nreceived: 2026-03-02\nsteps:\n  - {on: 'March 3', step: extend}\n", "日期"),
    "out-of-order.yaml": ("agency_kind: township\nreceived: 2026-03-02\nsteps:\n  - {on: 2026-03-10, step: extend}\n"
                          "  - {on: 2026-03-05, step: extend}\n", "先后"),
    "missing-field.yaml": ("agency_kind: township\nreceived: 2026-03-02\nsteps:\n  - {on: 2026-03-03, step: decide}\n", "outcome"),
    "missing-items.yaml": ("agency_kind: township\nreceived: 2026-03-02\nsteps:\n  - {on: 2026-03-03, step: request_correction}\n", "补正事项"),
    "no-steps-key.yaml": ("agency_kind: township\nreceived: 2026-03-02\n", "steps"),
    "bad-kind.yaml": ("agency_kind: ministry\nreceived: 2026-03-02\nsteps: []\n", "机关类别"),
    "bad-amount.yaml": ("agency_kind: township\nreceived: 2026-03-02\nsteps:\n  - {on: 2026-03-03, step: send_fee_notice, amount: -5}\n", "金额"),
    "empty.yaml": ("", "映射"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_malformed_scenario_exits_2_with_a_chinese_message(tmp_path, name):
    content, expected = BAD[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = cli(str(path), "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert expected in json.loads(result.stdout)["message"] and "情景文件有误" in result.stderr


def test_a_missing_file_a_folder_and_bad_bytes_exit_2(tmp_path):
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    for target, expected in [(tmp_path / "nothing.yaml", "找不到"), (tmp_path, "文件夹"), (binary, "UTF-8")]:
        result = cli(str(target))
        assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr


dates = st.dates(min_value=__import__("datetime").date(2025, 12, 1), max_value=__import__("datetime").date(2027, 3, 1))
values = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.text(max_size=8), dates,
                   st.sampled_from(["unclear", "post", "email", "granted", "partial", "unable_not_held",
                                    "rejected_excessive", "other_no_correction", "denied_law_prohibited"]),
                   st.dictionaries(st.sampled_from(["name", "contact", "x"]), st.text(max_size=5), max_size=2))
fields = st.sampled_from(sorted({f for required, optional in STEP_FIELDS.values() for f in required | optional} | {"x"}))
steps = st.lists(st.fixed_dictionaries(
    {"on": st.one_of(dates, st.text(max_size=5)), "step": st.one_of(st.sampled_from(sorted(STEP_FIELDS)), st.text(max_size=4))},
    optional={}).flatmap(lambda base: st.dictionaries(fields, values, max_size=3).map(lambda extra: {**extra, **base})),
    max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(received=dates, kind=st.sampled_from(["county_department", "township", "vertical_department", "x"]),
       channel=st.sampled_from([None, "post", "email", "fax", "bogus"]), raw_steps=steps, sort=st.booleans())
def test_simulate_never_tracebacks_on_random_steps(received, kind, channel, raw_steps, sort):
    if sort:
        raw_steps = sorted(raw_steps, key=lambda s: str(s["on"]))
    data = {"agency_kind": kind, "received": received, "steps": raw_steps}
    if channel:
        data["channel"] = channel
    try:
        result = simulate_text(yaml.safe_dump(data, allow_unicode=True))
    except ScenarioError as error:
        assert str(error)
        return
    out = result.to_json()
    json.dumps(out, ensure_ascii=False)
    assert len(out["steps"]) == len(raw_steps) and all(s["reason"] for s in out["steps"])


def test_parse_scenario_takes_the_yaml_on_key():
    scenario = parse_scenario(yaml.safe_load("agency_kind: township\nreceived: 2026-03-02\nsteps:\n"
                                             "  - {on: 2026-03-03, step: extend}\n"))
    assert scenario.steps[0].on.isoformat() == "2026-03-03"
