"""Round trip through every output format: reports with random consistent numbers, rendered
and read back, give every number and the section texts."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from gongkai.core.report.checking import Severity, check_report
from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_document
from gongkai.core.report.render import build_document, render, suffix

from tests.strategies import table_values
from tests.test_property import report_with

# Word and PDF take a few hundred milliseconds per report; the others a few milliseconds.
EXAMPLES = {"md": 40, "xlsx": 25, "html": 25, "docx": 12, "pdf": 6}


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("fmt", list(EXAMPLES))
def test_random_reports_round_trip(fmt):
    @settings(max_examples=EXAMPLES[fmt], deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(tables=table_values())
    def check(tables):
        report = report_with(tables)
        doc = build_document(report)
        again = read_document(render(doc, fmt), suffix(fmt))
        assert report_to_json(again)["tables"] == report_to_json(report)["tables"]
        assert [squeeze(s.text) for s in again.sections] == [squeeze(s.text) for s in doc.sections]
        assert (again.agency, again.year) == (report.agency, report.year)
        assert not [f for f in check_report(again) if f.severity is Severity.ERROR]

    check()
