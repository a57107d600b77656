"""Indicators, region totals, rankings and outlier rules (core/report/indicators.py): the
arithmetic under random consistent tables (hypothesis), and the figures of the real reports —
the seeds as read, and the corpus's hand-read numbers — against the formulas written out here."""

from __future__ import annotations

import json
import statistics
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core import standard
from gongkai.core.report import indicators as ind
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_report

from tests.conftest import SEEDS
from tests.strategies import table_values
from tests.test_property import report_with

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "expected").is_dir(),
    reason=f"the corpus is not here: {CORPUS} is absent (CI has ../shared/corpus beside the checkout)",
)
TABLE_KEYS = ("active", "applications", "review_litigation")


def pct(numerator, denominator) -> Decimal:
    """The rounding the pages show: 2 decimal places, half up."""
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), "ROUND_HALF_UP")


# ------------------------------------------------------------------ arithmetic (hypothesis)


@SETTINGS
@given(tables=table_values())
def test_rates_of_consistent_tables_are_shares_and_model_and_json_agree(tables):
    report = report_with(tables)
    values = ind.compute(report)
    assert {k: v.to_json() for k, v in values.items()} == {
        k: v.to_json() for k, v in ind.compute(report_to_json(report)).items()}
    t3 = tables["applications"]
    decided = t3["total"]["total"]
    shares = ("disclosure_rate", "refusal_rate", "not_held_share")
    if decided == 0:
        assert all(values[k].status is ind.Status.NOT_APPLICABLE and values[k].value is None for k in shares)
    else:
        for k in shares:
            v = values[k]
            assert v.ok and Decimal(0) <= v.value <= Decimal(100)
            assert v.exact * v.denominator == 100 * Fraction(v.numerator)  # the value is numerator/denominator
            assert v.denominator == decided
        assert values["disclosure_rate"].numerator == t3["granted"]["total"] + t3["partial"]["total"]
        assert values["refusal_rate"].numerator == sum(t3[k]["total"] for k in ind.DENIED_ROWS)
        # three disjoint groups of outcomes never add up to more than the whole
        assert sum(values[k].exact for k in shares) <= 100
    base = t3["new_received"]["total"] + t3["carried_over"]["total"]
    cf = values["carried_forward_rate"]
    assert (cf.status is ind.Status.NOT_APPLICABLE) == (base == 0)
    if base:
        assert cf.exact == Fraction(100 * t3["carried_forward"]["total"], base) and cf.value <= 100
    t4 = tables["review_litigation"]
    concluded = sum(t4[b][c] for b in ind.REVIEW_BLOCKS for c in ("upheld", "corrected", "other"))
    cr = values["correction_rate"]
    if concluded:
        assert cr.exact == Fraction(100 * sum(t4[b]["corrected"] for b in ind.REVIEW_BLOCKS), concluded)
    else:
        assert cr.status is ind.Status.NOT_APPLICABLE
    received = t3["new_received"]["total"]
    if received:
        assert values["reviews_per_100"].exact == Fraction(100 * t4["review"]["total"], received)
        assert values["lawsuits_per_100"].exact == Fraction(
            100 * (t4["litigation_direct"]["total"] + t4["litigation_after_review"]["total"]), received)
    assert values["received"].value == received


@SETTINGS
@given(st.lists(table_values(), min_size=1, max_size=4))
def test_region_totals_are_the_cellwise_sums_and_keep_the_table_rules(all_tables):
    reports = [report_with(t) for t in all_tables]
    totals = ind.region_totals(reports)
    assert totals.reports == len(reports)
    for table_key in TABLE_KEYS:
        for row_key, columns in all_tables[0][table_key].items():
            if columns is None:
                continue
            for column in columns:
                given_numbers = [Decimal(str(t[table_key][row_key][column])) for t in all_tables
                                 if t[table_key].get(row_key) is not None]
                assert Decimal(str(totals.value(table_key, row_key, column))) == sum(given_numbers)
                assert totals.lacking(table_key, row_key, column) == len(reports) - len(given_numbers)
    # sums of balanced tables balance: 一 + 二 = 三（七）+ 四 in every column
    for column in standard.APPLICATION_COLUMN_KEYS:
        s = lambda row: totals.value("applications", row, column)  # noqa: E731
        assert s("new_received") + s("carried_over") == s("total") + s("carried_forward")
    # and survive the trip through JSON (stored per year by the refresh)
    again = ind.RegionTotals.from_json(json.loads(json.dumps(totals.to_json())))
    assert again.sums == totals.sums and again.counts == totals.counts
    region_rate = ind.compute(totals.as_report_json())["disclosure_rate"]
    decided = totals.value("applications", "total", "total")
    assert (region_rate.status is ind.Status.NOT_APPLICABLE) == (decided == 0)


numbers = st.one_of(st.none(), st.integers(0, 50), st.decimals(0, 100, places=2))


@given(st.dictionaries(st.integers(0, 30), numbers, max_size=25), st.booleans())
def test_rank_is_one_plus_the_number_of_better_values(values, descending):
    ranks = ind.rank(values, descending)
    assert set(ranks) == {k for k, v in values.items() if v is not None}
    for k, r in ranks.items():
        better = [v for v in values.values() if v is not None and (v > values[k] if descending else v < values[k])]
        assert r == 1 + len(better)


@given(st.lists(st.decimals(-1000, 1000, places=2), min_size=1, max_size=40))
def test_median_and_mad_agree_with_statistics(values):
    assert ind.median(values) == statistics.median(values)
    m = statistics.median(values)
    assert ind.mad(values) == statistics.median([abs(v - m) for v in values])


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_year_over_year_change_adds_up(current, previous):
    cur = ind.compute_one(ind.INDICATOR_BY_KEY["received"], _cells_with(current))
    prev = ind.compute_one(ind.INDICATOR_BY_KEY["received"], _cells_with(previous))
    c = ind.change(cur, prev)
    assert c.previous + c.delta == c.current
    if previous == 0:
        assert c.percent is None
    else:
        assert c.percent == (Decimal(current - previous) * 100 / previous).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    rule = ind.SuddenChange(percent=50, min_applications=10)
    flagged = rule.check(c) is not None
    assert flagged == (abs(current - previous) >= 10 and (previous == 0 or abs(current - previous) * 2 >= previous))


def _cells_with(received: int) -> ind.Cells:
    return ind.Cells({"tables": {"applications": {"new_received": {"total": received}}}})


# ------------------------------------------------------------ missing numbers are not zeros


def test_missing_denominator_is_not_applicable_and_missing_numerator_is_missing():
    none_received = ind.compute({"tables": {"applications": {"new_received": {"total": 0}, "total": {"total": 0}}}})
    assert none_received["disclosure_rate"].status is ind.Status.NOT_APPLICABLE
    assert none_received["disclosure_rate"].display() == "不适用"
    assert none_received["received"].display() == "0"
    no_table = ind.compute({"tables": {"applications": None}})
    assert no_table["received"].status is ind.Status.MISSING and no_table["received"].display() == "缺数据"
    assert no_table["disclosure_rate"].status is ind.Status.NOT_APPLICABLE
    half = ind.compute({"tables": {"applications": {"total": {"total": 4}, "granted": {"total": 1}}}})
    assert half["disclosure_rate"].status is ind.Status.MISSING
    assert [t.row for t in half["disclosure_rate"].missing] == ["partial"]


def test_far_from_median_uses_the_floor_when_most_agencies_agree():
    rule = ind.FarFromMedian(k=Decimal(3), floor=Decimal(20), min_base=10)

    def agency(granted, decided):
        return ind.compute({"tables": {"applications": {"granted": {"total": granted}, "partial": {"total": 0},
                                                         "total": {"total": decided}}}})

    region = {i: agency(20, 20) for i in range(9)}  # nine agencies disclose everything: MAD = 0
    region["low"] = agency(10, 20)  # 50 %: 50 points below the median
    region["tiny"] = agency(0, 3)  # 0 % of 3 applications: below the minimum base, not compared
    region["close"] = agency(17, 20)  # 85 %: within the 20-point floor
    flags, bands = ind.find_outliers(region, None, far=rule)
    assert bands["disclosure_rate"] == (Decimal(100), Decimal(20))
    assert set(flags) == {"low"}
    (outlier,) = flags["low"]
    assert outlier.rule == "O-far-from-median" and outlier.indicator == "disclosure_rate"
    assert "低于全区中位数100.0%" in outlier.message
    assert "20" in rule.describe() and "10件" in rule.describe()


# ------------------------------------------------------------------------- real reports


def test_seeds_indicators_follow_their_tables():
    for key, path in SEEDS.items():
        report = read_report(path)
        values = ind.compute(report)
        t3 = report.table("applications")
        if t3 is None or not t3.cell("new_received", "total").is_number:
            assert values["received"].status is ind.Status.MISSING, key
            assert values["disclosure_rate"].status is ind.Status.NOT_APPLICABLE, key
            continue
        decided = t3.value("total", "total")
        assert values["received"].value == t3.value("new_received", "total")
        if decided:
            assert values["disclosure_rate"].value == pct(
                t3.value("granted", "total") + t3.value("partial", "total"), decided), key
            assert values["not_held_share"].value == pct(t3.value("unable_not_held", "total"), decided), key
        fee = report.fact("info_fee_yuan")
        assert (values["info_fee"].value == fee.value) if fee else not values["info_fee"].ok


def test_seed_004_figures():
    """Seed 004 received one application and answered it 本机关不掌握 (its table 3 as printed)."""
    values = ind.compute(read_report(SEEDS["004"]))
    assert values["received"].display() == "1"
    assert values["not_held_share"].display() == "100.0%"
    assert values["disclosure_rate"].display() == "0.0%"
    assert values["correction_rate"].display() == "不适用"  # no review, no lawsuit


@needs_corpus
@pytest.mark.corpus
@pytest.mark.parametrize("number", ["011", "012", "013"])
def test_corpus_expected_numbers(number):
    expected = json.loads((CORPUS / "expected" / f"{number}.json").read_text(encoding="utf-8"))
    tables = {k: expected.get(k) for k in TABLE_KEYS}
    values = ind.compute({"tables": tables})
    t3, t4 = tables["applications"], tables["review_litigation"]
    decided = t3["total"]["total"]
    assert values["received"].value == t3["new_received"]["total"]
    assert values["disclosure_rate"].value == pct(t3["granted"]["total"] + t3["partial"]["total"], decided)
    assert values["refusal_rate"].value == pct(sum(t3[k]["total"] for k in ind.DENIED_ROWS), decided)
    assert values["not_held_share"].value == pct(t3["unable_not_held"]["total"], decided)
    assert values["carried_forward_rate"].value == pct(
        t3["carried_forward"]["total"], t3["new_received"]["total"] + t3["carried_over"]["total"])
    concluded = sum(t4[b][c] for b in t4 for c in ("upheld", "corrected", "other"))
    assert values["correction_rate"].value == pct(sum(t4[b]["corrected"] for b in t4), concluded)
    assert values["reviews_per_100"].value == pct(t4["review"]["total"], t3["new_received"]["total"])


@needs_corpus
@pytest.mark.corpus
def test_corpus_hongze_figures_and_year_over_year():
    """洪泽区 2023 → 2024 as printed: 21 → 95 applications (a sudden change by the default rule);
    2023's table 4 is wrong as printed (总计 0 beside 维持 10, 纠正 1): the correction rate is
    computed from the three results, 1 of 16 concluded."""
    def load(n):
        d = json.loads((CORPUS / "expected" / f"{n}.json").read_text(encoding="utf-8"))
        return ind.compute({"tables": {k: d.get(k) for k in TABLE_KEYS}})

    y2023, y2024 = load("011"), load("012")
    assert y2023["correction_rate"].display() == "6.3%"  # 1 ÷ 16
    assert (y2023["correction_rate"].numerator, y2023["correction_rate"].denominator) == (1, 16)
    c = ind.change(y2024["received"], y2023["received"])
    assert (c.delta, c.percent) == (74, Decimal("352.38"))
    flags, _ = ind.find_outliers({"洪泽区": y2024}, {"洪泽区": y2023})
    assert [o.rule for o in flags["洪泽区"] if o.indicator == "received"] == ["O-sudden-change"]
    assert "增加74件" in flags["洪泽区"][0].message


@needs_corpus
@pytest.mark.corpus
def test_corpus_region_totals_of_the_three_reports():
    """The 2024 reports of 洪泽区 and 淮安市 summed (a sum of reports, not a government's report)."""
    loaded = [json.loads((CORPUS / "expected" / f"{n}.json").read_text(encoding="utf-8")) for n in ("012", "013")]
    totals = ind.region_totals({"tables": {k: d.get(k) for k in TABLE_KEYS}} for d in loaded)
    assert totals.value("applications", "new_received", "total") == sum(
        d["applications"]["new_received"]["total"] for d in loaded)
    assert totals.value("active", "admin_fees", "amount") == sum(
        Decimal(str(d["active"]["admin_fees"]["amount"])) for d in loaded)
    assert "不等同于本级政府" in totals.label
    # 012 prints （六）其他处理 as one row: its sub-rows are lacking there, not zero
    lacking = totals.lacking("applications", "other_other", "total")
    assert lacking == sum(1 for d in loaded if d["applications"].get("other_other") is None)


def test_every_indicator_shows_its_formula_with_the_cells_it_reads():
    for spec in ind.INDICATORS:
        assert spec.formula and spec.name and spec.numerator
        for term in (*spec.numerator, *spec.denominator):
            assert term.label  # every term names its table, row and column in Chinese
    assert ind.INDICATOR_BY_KEY["disclosure_rate"].numerator == (
        ind.Term("applications", "granted"), ind.Term("applications", "partial"))
