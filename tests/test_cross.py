"""Checks across reports, on real multi-year reports (洪泽区 2023 and 2024) and on generated
regions: reports written in a seed's layout, read back by the parser, then checked together."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import standard
from gongkai.core.report.checking import RULES, check_report
from gongkai.core.report.checking.cross import (
    agency_keys,
    check_across,
    cross_check,
    parse_agency_list,
    without_superseded,
)
from gongkai.core.report.compare import compare
from gongkai.core.report.errors import ReportReadError
from gongkai.core.report.model import CellStatus, DateFact, Report, report_from_json
from gongkai.core.report.parsing import parse_text
from gongkai.core.report.render.plaintext import render_text
from gongkai.core.report.similarity import squeeze

from tests.conftest import SEEDS
from tests.strategies import agency_years, fixed_years
from tests.test_property import BASE

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CROSS_RULES = {r for r in RULES if r.startswith("X-")}

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "reports").is_dir(),
    reason=f"the real reports are not here: {CORPUS} is absent (CI has ../shared/corpus beside the checkout)",
)

FIRST_YEAR = 2021
AGENCY = "济宁高新区王因街道办事处"


def _seed_narrative(seed: str) -> dict[str, str]:
    """The narrative sections of a real seed report: a different text for every year."""
    report = parse_text(SEEDS[seed].read_text(encoding="utf-8"))
    return {s.key: s.text for s in report.sections if s.key in ("overview", "problems", "other_matters")}


NARRATIVES = [_seed_narrative(k) for k in sorted(SEEDS)]


def authored(tables: dict, year: int, agency: str = AGENCY, narrative: dict[str, str] | None = None) -> Report:
    """A report of ``agency`` for ``year`` with ``tables``: seed 004's layout and preamble, the
    narrative of another seed per year (so that no two years share a text)."""
    data = copy.deepcopy(BASE)
    data["tables"], data["cells"], data["uncertain_rows"] = tables, {}, []
    data["agency"], data["year"] = agency, year
    data["title"] = f"{agency}{year}年政府信息公开工作年度报告"
    data["preamble"] = data["preamble"].replace("2023", str(year)).replace("王因街道办事处", agency)
    data["period"] = None
    data["narrative_facts"], data["narrative_years"], data["parse_notes"] = {}, [], []
    texts = narrative if narrative is not None else NARRATIVES[(year - FIRST_YEAR) % len(NARRATIVES)]
    for section in data["sections"]:
        section["text"] = texts.get(section["key"], "")
    return report_from_json(data)


def written_and_read(report: Report, glue: dict[str, str] | None = None) -> Report:
    """The report as plain text (tab-separated tables), optionally with some rows' cells run
    together ("行政规范性文件\t3\t0\t12" -> "行政规范性文件 3012"), read back by the parser."""
    text = render_text(report, "tabs")
    for label in glue or {}:
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines) if line.startswith(label + "\t")]
        assert len(hits) == 1, label
        cells = lines[hits[0]].split("\t")
        lines[hits[0]] = f"{cells[0]} " + "".join(cells[1:])
        text = "\n".join(lines)
    return parse_text(text)


def region(tables_by_year: list[dict], agency: str = AGENCY) -> list[Report]:
    return [written_and_read(authored(t, FIRST_YEAR + i, agency)) for i, t in enumerate(tables_by_year)]


def placed(findings) -> set[tuple]:
    return {(f.details["sources"][0]["year"], f.rule, f.row or "", f.column or "") for f in findings}


# ------------------------------------------------------------------------- agencies


def test_agency_names_group_with_and_without_the_city():
    keys = agency_keys(["淮安市洪泽区人民政府", "洪泽区人民政府", "淮安市洪泽区人民政府（江苏省）", "淮安市人民政府"])
    assert keys["淮安市洪泽区人民政府"] == keys["洪泽区人民政府"] == keys["淮安市洪泽区人民政府（江苏省）"]
    assert keys["淮安市人民政府"] != keys["洪泽区人民政府"]
    # a city's own departments keep the city: "住房和城乡建设局" is not a county named 住房和城乡
    keys = agency_keys(["淮安市住房和城乡建设局", "宿迁市住房和城乡建设局", "淮安市城市管理局"])
    assert len(set(keys.values())) == 3 and keys["淮安市城市管理局"] == "淮安市城市管理局"
    # two districts of the same name in two cities stay two agencies
    keys = agency_keys(["北京市朝阳区人民政府", "长春市朝阳区人民政府"])
    assert keys["北京市朝阳区人民政府"] != keys["长春市朝阳区人民政府"]


def test_agency_list_with_kinds():
    names, kinds = parse_agency_list("# 洪泽区\n淮安市洪泽区人民政府\t政府\n洪泽区财政局, 部门\n洪泽区岔河镇人民政府\n\n")
    assert names == ["淮安市洪泽区人民政府", "洪泽区财政局", "洪泽区岔河镇人民政府"]
    assert kinds == {"淮安市洪泽区人民政府": "government", "洪泽区财政局": "department"}
    with pytest.raises(ReportReadError) as error:
        parse_agency_list("洪泽区财政局 局\n", "list.txt")
    assert error.value.code == "agency_list_unreadable" and "第1行" in error.value.message


# ------------------------------------------------------------- generated regions


@SETTINGS
@given(years=agency_years(3))
def test_consistent_years_give_no_cross_finding(years):
    reports = region(years)
    assert [r.year for r in reports] == [FIRST_YEAR, FIRST_YEAR + 1, FIRST_YEAR + 2]
    assert check_across(reports) == []


def expected_cross(years: list[dict], table: str, row: str, column: str, k: int) -> set[tuple]:
    """What changing one cell of year ``k`` (upwards) must trip across the three years."""
    y = FIRST_YEAR + k
    if table == "applications" and row == "carried_over" and k > 0:
        return {(y, "X-carry-over", "carried_over", column)}
    if table == "applications" and row == "carried_forward" and k < len(years) - 1:
        return {(y + 1, "X-carry-over", "carried_over", column)}
    if table == "active" and row in ("rules", "normative_documents"):
        out = set()
        if k > 0:
            out.add((y, "X-in-force", row, "in_force"))
        if column == "in_force" and k < len(years) - 1:
            out.add((y + 1, "X-in-force", row, "in_force"))
        return out
    return set()


@st.composite
def broken_region(draw):
    years = draw(agency_years(3))
    k = draw(st.integers(0, 2))
    table, row, column = draw(
        st.sampled_from(
            [
                *(("applications", r, c) for r in ("carried_over", "carried_forward") for c in standard.APPLICANT_KEYS),
                *(("active", r, c) for r in ("rules", "normative_documents") for c in ("issued", "repealed", "in_force")),
                ("applications", "granted", "natural_person"),
                ("active", "licensing", "decisions"),
            ]
        )
    )
    broken = copy.deepcopy(years)
    broken[k][table][row][column] += draw(st.integers(1, 40))
    return years, broken, (table, row, column, k)


@SETTINGS
@given(case=broken_region())
def test_breaking_one_number_trips_exactly_the_cross_rules_that_must(case):
    years, broken, (table, row, column, k) = case
    found = placed(check_across(region(broken)))
    assert found == expected_cross(years, table, row, column, k)


def test_table_four_pending_cases_must_reappear_or_be_explained():
    years = fixed_years(2)
    for block in standard.REVIEW_LITIGATION.row_keys:
        years[0]["review_litigation"][block] = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
        years[1]["review_litigation"][block] = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    years[0]["review_litigation"]["review"] = {"upheld": 1, "corrected": 0, "other": 0, "pending": 3, "total": 4}
    years[1]["review_litigation"]["review"] = {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    reports = region(years)
    found = check_across(reports)
    assert placed(found) == {(FIRST_YEAR + 1, "X-appeal-pending", "review", "total")}
    assert found[0].details["previous_pending"] == 3 and found[0].details["total"] == 2
    assert "尚未审结" in found[0].message
    # the pending cases counted in the next year: nothing to say
    years[1]["review_litigation"]["review"] = {"upheld": 2, "corrected": 1, "other": 0, "pending": 0, "total": 3}
    assert check_across(region(years)) == []
    # or explained in section 四
    years[1]["review_litigation"]["review"] = {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 2}
    reports = region(years)
    reports[1].section("review_litigation").text = "上年度尚未审结的3件行政复议案件已于本年审结，未计入本表。"
    assert check_across(reports) == []


# ------------------------------------------------------ digits settled by neighbours


def _in_force_fits(previous: int, candidate: tuple) -> bool:
    issued, repealed, in_force = candidate
    return previous + issued - repealed == in_force


@SETTINGS
@given(years=agency_years(2), row=st.sampled_from(["rules", "normative_documents"]))
def test_neighbouring_year_settles_a_run_of_table_two_digits_or_leaves_it(years, row):
    label = standard.ACTIVE.row(row).label
    truth = tuple(years[1]["active"][row][c] for c in ("issued", "repealed", "in_force"))
    previous = years[0]["active"][row]["in_force"]
    reports = [written_and_read(authored(years[0], FIRST_YEAR)), written_and_read(authored(years[1], FIRST_YEAR + 1), {label: ""})]
    table = reports[1].tables["active"]
    assert truth in table.uncertain.get(row, (truth,))
    candidates = table.uncertain.get(row)
    result = cross_check(reports)
    settled = result.reports[1].tables["active"]
    values = tuple(settled.value(row, c) for c in ("issued", "repealed", "in_force"))
    fitting = [c for c in candidates or () if _in_force_fits(previous, c)]
    if candidates is not None and len(fitting) == 1:
        assert values == truth
        assert all(settled.cell(row, c).status is CellStatus.NUMBER for c in ("issued", "repealed", "in_force"))
        (f,) = [f for f in result.findings if f.rule == "X-settled"]
        assert (f.table, f.row, f.details["values"]) == ("active", row, list(truth))
        assert [s["year"] for s in f.details["sources"]] == [FIRST_YEAR + 1, FIRST_YEAR]
        assert "T-uncertain" not in {x.rule for x in check_report(result.reports[1])}
    elif candidates is not None:
        assert len(fitting) > 1 and settled.uncertain[row] == candidates
        assert not [f for f in result.findings if f.rule == "X-settled"]
    assert not [f for f in result.findings if f.rule != "X-settled"]
    assert reports[1].tables["active"].uncertain == table.uncertain  # the reports given are not changed


def _table3(**rows: tuple) -> dict:
    """Table 3 with the given rows (7 values each) and zeros elsewhere."""
    return {
        row: dict(zip(standard.APPLICATION_COLUMN_KEYS, rows.get(row, (0,) * 7)))
        for row in standard.APPLICATIONS.row_keys
    }


def test_last_years_carried_forward_settles_this_years_carried_over_and_then_new_received():
    # 2022: 一 "000011011" and 二 "000011011" each split as 1 | 10 | 11 or 11 | 0 | 11 in the last
    # three columns, and either way round the columns balance: one report alone cannot tell.
    years = fixed_years(2)
    years[0]["applications"] = _table3(new_received=(0, 0, 0, 0, 11, 0, 11), carried_forward=(0, 0, 0, 0, 11, 0, 11))
    years[1]["applications"] = _table3(
        new_received=(0, 0, 0, 0, 1, 10, 11),
        carried_over=(0, 0, 0, 0, 11, 0, 11),
        granted=(0, 0, 0, 0, 12, 10, 22),
        total=(0, 0, 0, 0, 12, 10, 22),
    )
    glue = {standard.APPLICATIONS.row(k).label: "" for k in ("new_received", "carried_over")}
    reports = [written_and_read(authored(years[0], FIRST_YEAR)), written_and_read(authored(years[1], FIRST_YEAR + 1), glue)]
    alone = reports[1].tables["applications"].uncertain
    assert set(alone) == {"new_received", "carried_over"} and all(len(c) == 2 for c in alone.values())
    assert {"T-uncertain"} <= {f.rule for f in check_report(reports[1])}
    result = cross_check(reports)
    table = result.reports[1].tables["applications"]
    assert not table.uncertain
    for row in ("new_received", "carried_over"):
        assert [table.value(row, c) for c in standard.APPLICATION_COLUMN_KEYS] == list(years[1]["applications"][row].values())
    settled = {f.row: f for f in result.findings}
    assert {row: f.details["by"] for row, f in settled.items()} == {
        "carried_over": "neighbouring_year",
        "new_received": "table_equations",
    }
    assert {f.rule for f in result.findings} == {"X-settled"}
    first = settled["carried_over"]
    assert "上年结转 0 | 0 | 0 | 0 | 11 | 0 | 11 等于上年结转下年度 0 | 0 | 0 | 0 | 11 | 0 | 11" in first.message
    rules = {f.rule for f in check_report(result.reports[1])}
    assert "T-uncertain" not in rules and "T3-balance" not in rules


def test_a_split_the_in_force_identity_decides():
    years = fixed_years(2)
    years[0]["active"]["normative_documents"] = {"issued": 4, "repealed": 0, "in_force": 9}
    years[1]["active"]["normative_documents"] = {"issued": 3, "repealed": 0, "in_force": 12}
    reports = [
        written_and_read(authored(years[0], FIRST_YEAR)),
        written_and_read(authored(years[1], FIRST_YEAR + 1), {"行政规范性文件": ""}),
    ]
    assert reports[1].tables["active"].uncertain["normative_documents"] == ((3, 0, 12), (30, 1, 2))
    result = cross_check(reports)
    (f,) = result.findings
    assert f.rule == "X-settled" and f.severity.value == "notice"
    assert f.details["values"] == [3, 0, 12] and f.details["candidates"] == 2 and f.details["raw"] == "3012"
    assert "上年现行有效 9 + 本年制发 3 − 本年废止 0 = 现行有效 12" in f.message
    assert [s["role"] for s in f.details["sources"]] == ["subject", "neighbour"]
    assert result.reports[1].tables["active"].value("normative_documents", "in_force") == 12


def test_several_fitting_splits_stay_uncertain():
    # 2021's row "12020" leaves 现行有效 20 or 0; 2022's "11011" fits 20 (1 | 10 | 11) and 0 (11 | 0 | 11)
    years = fixed_years(2)
    years[0]["active"]["normative_documents"] = {"issued": 12, "repealed": 0, "in_force": 20}
    years[1]["active"]["normative_documents"] = {"issued": 11, "repealed": 0, "in_force": 11}
    reports = [
        written_and_read(authored(years[0], FIRST_YEAR), {"行政规范性文件": ""}),
        written_and_read(authored(years[1], FIRST_YEAR + 1), {"行政规范性文件": ""}),
    ]
    before = [r.tables["active"].uncertain["normative_documents"] for r in reports]
    assert {c[2] for c in before[0]} == {20, 0}
    result = cross_check(reports)
    after = [r.tables["active"].uncertain.get("normative_documents") for r in result.reports]
    assert after == before
    assert {c for c in before[1] if any(_in_force_fits(p[2], c) for p in before[0])} == {(1, 10, 11), (11, 0, 11)}
    assert not [f for f in result.findings if f.rule == "X-settled"]


# ------------------------------------------------------------------------ copying

PROBLEMS = (
    "2022年，本单位政府信息公开工作虽然取得了一定成效，但对照上级要求和群众期盼仍有差距："
    "一是主动公开的深度和广度不够，部分领域信息更新不及时；二是政策解读形式较为单一，图文、视频解读偏少；"
    "三是依申请公开答复的规范性有待提高，个别答复文书说理不充分。下一步，我们将健全信息发布审核机制，"
    "丰富政策解读形式，加强业务培训，切实提升政府信息公开工作质量。"
)


def test_copied_narrative_is_found_with_its_passage_and_a_different_one_is_not():
    years = fixed_years(2)
    first = {**NARRATIVES[0], "problems": PROBLEMS}
    copied = {**NARRATIVES[1], "problems": PROBLEMS.replace("2022年", "2023年").replace("一定成效", "较好成效")}
    other_agency = {**NARRATIVES[2], "problems": NARRATIVES[2]["problems"]}
    reports = [
        written_and_read(authored(years[0], FIRST_YEAR, narrative=first)),
        written_and_read(authored(years[1], FIRST_YEAR + 1, narrative=copied)),
        written_and_read(authored(years[1], FIRST_YEAR + 1, agency="济宁高新区黄屯街道办事处", narrative=other_agency)),
    ]
    found = check_across(reports)
    assert [(f.rule, f.section, f.details["sources"][0]["year"]) for f in found] == [("X-copied", "problems", FIRST_YEAR + 1)]
    (f,) = found
    assert f.details["same_agency"] is True and f.details["similarity"] >= 0.8
    assert [s["agency"] for s in f.details["sources"]] == [AGENCY, AGENCY]
    longest = f.details["passages"][0]["text"]
    assert len(longest) >= 60 and longest in squeeze(PROBLEMS, fold=False)
    assert longest in squeeze(reports[1].section("problems").text, fold=False)
    # a threshold above the similarity: not reported
    assert check_across(reports, copy_threshold=min(1.0, f.details["similarity"] + 0.01)) == []


def test_another_agency_copying_in_the_same_year_is_named_on_both():
    years = fixed_years(1)
    text = {**NARRATIVES[0], "problems": PROBLEMS}
    reports = [
        written_and_read(authored(years[0], FIRST_YEAR, narrative=text)),
        written_and_read(authored(years[0], FIRST_YEAR, agency="济宁高新区黄屯街道办事处", narrative=dict(text))),
    ]
    found = check_across(reports)
    rules = {(f.rule, f.section) for f in found}
    assert ("X-copied", "problems") in rules
    subjects = {f.details["sources"][0]["agency"] for f in found if f.section == "problems"}
    assert subjects == {AGENCY, "济宁高新区黄屯街道办事处"}
    assert all(f.details["same_agency"] is False for f in found)


# --------------------------------------------------------- timeliness and the list


def dated(report: Report, day: date) -> Report:
    report.published = DateFact(day, day.isoformat(), 99)
    return report


def test_late_by_the_kind_the_office_gives():
    years = fixed_years(1)
    report = dated(written_and_read(authored(years[0], 2023, agency="洪泽区人民政府")), date(2024, 2, 20))
    # by its name a government: on time for the single-report rule
    assert "D-late" not in {f.rule for f in check_report(report)}
    assert check_across([report]) == []
    found = check_across([report], kinds={"淮安市洪泽区人民政府": "department"})
    assert [(f.rule, f.severity.value) for f in found] == [("X-late", "error")]
    assert found[0].details["deadline"] == "2024-01-31" and found[0].details["days_late"] == 20
    assert check_across([report], kinds={"洪泽区人民政府": "government"}) == []
    assert [f.rule for f in check_across([report], kinds={"洪泽区人民政府": "部门"})] == ["X-late"]
    with pytest.raises(ValueError):
        check_across([report], kinds={"洪泽区人民政府": "直属"})
    uncertain = check_across([report], kinds={"洪泽区人民政府": "uncertain"})
    assert [(f.rule, f.severity.value) for f in uncertain] == [("X-late", "notice")]
    result = cross_check([dated(report, date(2024, 4, 2))], kinds={"洪泽区人民政府": "uncertain"})
    assert [(f.rule, f.severity.value) for f in result.findings] == [("X-late", "warning")]
    assert result.timeliness[0].status == "late" and result.timeliness[0].days_late == 2


def test_the_office_kind_supersedes_the_name():
    years = fixed_years(1)
    report = dated(written_and_read(authored(years[0], 2023, agency="洪泽区财政局")), date(2024, 3, 1))
    single = check_report(report)
    assert "D-late" in {f.rule for f in single}  # a department by its name
    result = cross_check([report], kinds={"洪泽区财政局": "government"})
    assert result.findings == [] and result.kind_given(0)
    merged = without_superseded(single, result.by_report.get(0, []), result.kind_given(0))
    assert "D-late" not in {f.rule for f in merged}


def test_agencies_of_the_list_without_a_report():
    years = fixed_years(2)
    reports = region(years)
    found = check_across(reports, expected_agencies=[AGENCY, "济宁高新区黄屯街道办事处"], kinds={"济宁高新区黄屯街道办事处": "township"})
    assert [(f.rule, f.details["agency"], f.details["year"]) for f in found] == [
        ("X-missing-report", "济宁高新区黄屯街道办事处", FIRST_YEAR),
        ("X-missing-report", "济宁高新区黄屯街道办事处", FIRST_YEAR + 1),
    ]
    assert "2022-01-31" in found[0].message
    found = check_across(reports[1:], expected_agencies=[AGENCY], years=[FIRST_YEAR, FIRST_YEAR + 1])
    assert [(f.rule, f.details["year"]) for f in found] == [("X-missing-report", FIRST_YEAR)]


def test_the_findings_are_json_like_the_single_report_ones():
    years = fixed_years(2)
    years[1]["applications"]["carried_over"]["natural_person"] += 1
    found = check_across(region(years))
    (f,) = found
    data = f.to_json()
    assert set(data) == set(check_report(region(years)[0])[0].to_json())
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert [s["role"] for s in data["details"]["sources"]] == ["subject", "previous"]
    assert all(s["line"] for s in data["details"]["sources"])


# ------------------------------------------------------------------------ compare


@SETTINGS
@given(years=agency_years(2))
def test_compare_lists_exactly_the_cells_that_changed(years):
    old, new = region(years)
    comparison = compare(old, new)
    expected = set()
    for table in ("active", "applications", "review_litigation"):
        for row, columns in years[0][table].items():
            if columns is None:
                continue
            for column, value in columns.items():
                if str(value) != str(years[1][table][row][column]):
                    expected.add((table, row, column))
    assert {(c.table, c.row, c.column) for c in comparison.changes} == expected
    for c in comparison.changes:
        assert Decimal(c.old) == Decimal(str(years[0][c.table][c.row][c.column]))
        assert Decimal(c.new) == Decimal(str(years[1][c.table][c.row][c.column]))
        assert c.delta == c.new - c.old
    data = comparison.to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert not comparison.repeats or all(len(p.text) >= 15 for s in comparison.repeats for p in s.passages)


# ------------------------------------------------------------------------- corpus


@pytest.fixture(scope="module")
def hongze():
    from gongkai.core.report.parsing import read_report

    return [read_report(CORPUS / "reports" / f) for f in ("011_hongze_quzhengfu_2023.pdf", "012_hongze_quzhengfu_2024.pdf")]


def _expected(key: str) -> dict:
    return json.loads((CORPUS / "expected" / f"{key}.json").read_text(encoding="utf-8"))


@pytest.mark.corpus
@needs_corpus
def test_hongze_two_years_agree_across(hongze):
    old, new = hongze
    assert agency_keys([old.agency, new.agency])[old.agency] == agency_keys([old.agency, new.agency])[new.agency]
    result = cross_check(hongze)
    assert result.groups and list(result.groups.values()) == [[0, 1]]
    # 上年结转 2024 = 结转下年度 2023 (all 0) and 现行有效 5 + 3 − 0 = 8: no cross finding
    assert result.findings == []
    a, b = _expected("011"), _expected("012")
    assert a["applications"]["carried_forward"] == b["applications"]["carried_over"]
    prev, cur = a["active"]["normative_documents"], b["active"]["normative_documents"]
    assert prev["in_force"] + cur["issued"] - cur["repealed"] == cur["in_force"]


@pytest.mark.corpus
@needs_corpus
def test_hongze_broken_in_force_and_carry_over(hongze):
    old, new = (copy.deepcopy(r) for r in hongze)
    new.tables["active"] = new.tables["active"].with_value("normative_documents", "in_force", 20)
    new.tables["applications"] = new.tables["applications"].with_value("carried_over", "natural_person", 2)
    found = check_across([old, new])
    assert sorted((f.rule, f.row, f.column) for f in found) == [
        ("X-carry-over", "carried_over", "natural_person"),
        ("X-in-force", "normative_documents", "in_force"),
    ]
    in_force = next(f for f in found if f.rule == "X-in-force")
    assert in_force.severity.value == "warning" and "清理" in in_force.message
    assert (in_force.details["expected"], in_force.details["in_force"]) == (8, 20)
    assert [s["source"] for s in in_force.details["sources"]] == [new.source, old.source]


@pytest.mark.corpus
@needs_corpus
def test_hongze_compare_every_changed_cell_and_the_repeated_passages(hongze):
    old, new = hongze
    comparison = compare(old, new)
    a, b = _expected("011"), _expected("012")
    expected = set()
    for table in ("active", "applications", "review_litigation"):
        for row, columns in a[table].items():
            for column, value in (columns or {}).items():
                other = (b[table].get(row) or {}).get(column)
                if value != other:
                    expected.add((table, row, column, value, other))
    got = {(c.table, c.row, c.column, c.old, c.new) for c in comparison.changes}
    assert {(t, r, c, float(o) if t == "active" and r == "admin_fees" else o, float(n) if t == "active" and r == "admin_fees" else n) for t, r, c, o, n in got} == expected
    repeats = {s.section: s for s in comparison.repeats}
    assert {"overview", "problems"} <= set(repeats)
    for s in repeats.values():
        for p in s.passages:
            assert p.text in squeeze(old.section(s.section).text, fold=False)
            assert p.text in squeeze(new.section(s.section).text, fold=False)
    # the two years share passages but are rewritten: far below the copying threshold
    assert all(s.similarity < 0.8 for s in comparison.sections if s.section != "other_matters")
