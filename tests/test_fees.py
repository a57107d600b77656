"""The information processing fee: the marginal bands of 国办函〔2020〕109号."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.casework.fees import FeeError, FeeMethod, application_fee, fee, payment_deadline, per_page


@pytest.mark.parametrize(
    "nth,yuan",
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400), (61, 500)],
)
def test_per_application_bands(nth, yuan):
    assert application_fee(nth) == yuan


def test_a_month_of_applications_adds_up_band_by_band():
    # 45 applications in a month: 10 free, 20 × 100, 10 × 200, 5 × 300.
    assert sum(application_fee(n) for n in range(1, 46)) == 20 * 100 + 10 * 200 + 5 * 300


@pytest.mark.parametrize(
    "pages,yuan",
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_per_page_bands_are_marginal(pages, yuan):
    result = per_page(pages)
    assert result.yuan == yuan
    assert result.method is FeeMethod.PER_PAGE
    assert result.explanation[-1] == f"合计 {yuan} 元。"


def test_never_both_methods_and_clear_errors():
    with pytest.raises(FeeError, match="只能选择一种"):
        fee(FeeMethod.PER_PAGE, nth_in_month=12, pages=40)
    with pytest.raises(FeeError):
        fee(FeeMethod.PER_APPLICATION)
    with pytest.raises(FeeError):
        per_page(-1)
    assert fee(FeeMethod.PER_APPLICATION, nth_in_month=35).yuan == 200
    assert "第31至40件每件200元" in fee(FeeMethod.PER_APPLICATION, nth_in_month=35).explanation[0]


def test_payment_within_twenty_working_days():
    # Notice on 2025-09-20 (Saturday): National Day and Mid-autumn 1-8 Oct off, 28 Sep and 11 Oct worked.
    deadline = payment_deadline(date(2025, 9, 20))
    assert deadline.due == date(2025, 10, 23)
    assert "视为放弃申请" in deadline.explanation[-1]
