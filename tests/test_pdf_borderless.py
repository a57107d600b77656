"""PDF tables without ruling lines: read from the text's columns, never a wrong number."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from weasyprint import HTML

from gongkai.core.report.model import report_to_json
from gongkai.core.report.parsing import read_document, read_report
from gongkai.core.report.render import build_document, render

from tests.conftest import SEEDS
from tests.strategies import table_values
from tests.test_property import report_with

NO_BORDERS = "table, th, td { border: none !important; }</style>"


def borderless_pdf(report) -> bytes:
    html = render(build_document(report), "html").decode("utf-8").replace("</style>", NO_BORDERS, 1)
    return HTML(string=html).write_pdf()


def compare(report, again) -> tuple[list, int, int]:
    expected, got = report_to_json(report)["tables"], report_to_json(again)["tables"]
    wrong, unread, total = [], 0, 0
    for table, rows in expected.items():
        for row, columns in (rows or {}).items():
            for column, value in (columns or {}).items():
                total += 1
                found = ((got.get(table) or {}).get(row) or {}).get(column)
                if found is None:
                    unread += 1
                elif found != value:
                    wrong.append((table, row, column, value, found))
    return wrong, unread, total


@pytest.mark.parametrize("key", ["003", "004"])
def test_borderless_seed_tables_read_exactly(key):
    report = read_report(SEEDS[key])
    assert compare(report, read_document(borderless_pdf(report), ".pdf")) [:2] == ([], 0)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=table_values())
def test_borderless_random_tables_never_wrong(tables):
    report = report_with(tables)
    wrong, unread, total = compare(report, read_document(borderless_pdf(report), ".pdf"))
    assert wrong == []
    assert unread <= total // 10  # at most a few rows left unread (and then flagged)
