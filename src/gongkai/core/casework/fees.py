"""The information processing fee (信息处理费, 《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).

Charged only where one applicant's requests are clearly excessive in number or volume, by ONE
of two methods — never both for the same application:

- per application (按件), counted per applicant per calendar month: the first 10 free, the 11th
  to 30th at 100 yuan each, then 100 yuan more per application for each further band of 10
  (31st–40th 200 yuan, 41st–50th 300 yuan, …);
- per page (按量), per application: the first 30 pages free, pages 31–100 at 10 yuan, 101–200 at
  20 yuan, 201 and above at 40 yuan.

The bands are marginal. The applicant pays within 20 working days counted from the day after they
*receive* the fee notice, or the application is treated as abandoned (table 3 row
``other_unpaid_fee``). The notice must be sent within the reply period, and the days from sending
it to the payment do not count towards that period. Where the receipt is not recorded, a notice
handed over, e-mailed, sent through the online platform or faxed is deemed received the day it is
sent; a posted notice (or one sent some other way) has no deemed day, so its receipt must be
recorded before the application can lapse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from .workdays import DEFAULT_CALENDAR, Deadline, WorkCalendar, count_working_days, show

PAYMENT_WORKING_DAYS = 20
FREE_APPLICATIONS_PER_MONTH = 10
FREE_PAGES = 30
# (first page, last page or None, yuan per page): the per-page bands.
PAGE_BANDS = ((31, 100, 10), (101, 200, 20), (201, None, 40))


class FeeMethod(str, Enum):
    PER_APPLICATION = "per_application"  # 按件计收
    PER_PAGE = "per_page"  # 按量计收

    @property
    def label(self) -> str:
        return {"per_application": "按件计收", "per_page": "按量计收"}[self.value]


class FeeError(ValueError):
    """A fee that the measures do not allow (in Chinese, for people)."""


@dataclass(frozen=True)
class Fee:
    method: FeeMethod
    yuan: int
    explanation: tuple[str, ...]


def application_fee(nth_in_month: int) -> int:
    """Yuan for an applicant's ``nth_in_month`` application of a calendar month (按件)."""
    if nth_in_month < 1:
        raise FeeError("本月申请序号应从 1 开始")
    if nth_in_month <= FREE_APPLICATIONS_PER_MONTH:
        return 0
    if nth_in_month <= 30:
        return 100
    return 100 * (2 + (nth_in_month - 31) // 10)


def per_application(nth_in_month: int) -> Fee:
    yuan = application_fee(nth_in_month)
    if yuan == 0:
        why = f"本月第 {nth_in_month} 件申请，每月前 {FREE_APPLICATIONS_PER_MONTH} 件不收费"
    elif nth_in_month <= 30:
        why = f"本月第 {nth_in_month} 件申请，第11至30件每件100元"
    else:
        first = 31 + (nth_in_month - 31) // 10 * 10
        why = f"本月第 {nth_in_month} 件申请，第{first}至{first + 9}件每件{yuan}元"
    return Fee(FeeMethod.PER_APPLICATION, yuan, (why + f"，应收 {yuan} 元。",))


def per_page(pages: int) -> Fee:
    """Yuan for one application of ``pages`` pages (按量), band by band."""
    if pages < 0:
        raise FeeError("页数不能为负数")
    lines = [f"共 {pages} 页，前 {FREE_PAGES} 页不收费。"]
    total = 0
    for first, last, price in PAGE_BANDS:
        top = pages if last is None else min(pages, last)
        count = max(0, top - first + 1)
        if count:
            total += count * price
            span = f"第{first}页及以上" if last is None else f"第{first}至{last}页"
            lines.append(f"{span}计 {count} 页，每页{price}元，{count * price} 元。")
    lines.append(f"合计 {total} 元。")
    return Fee(FeeMethod.PER_PAGE, total, tuple(lines))


def fee(method: FeeMethod, *, nth_in_month: int | None = None, pages: int | None = None) -> Fee:
    """The fee by one method; giving both measures is refused (the two are never combined)."""
    if nth_in_month is not None and pages is not None:
        raise FeeError("按件计收和按量计收只能选择一种，不能同时适用")
    if method is FeeMethod.PER_APPLICATION:
        if nth_in_month is None:
            raise FeeError("按件计收需要该申请人本月的申请序号")
        return per_application(nth_in_month)
    if pages is None:
        raise FeeError("按量计收需要页数")
    return per_page(pages)


# Channels by which a notice is deemed received the day it is sent (where no receipt is recorded).
DEEMED_RECEIPT_CHANNELS = frozenset({"in_person", "email", "online", "fax"})


def deemed_notice_receipt(sent: date, channel: str | None) -> date | None:
    """The day a notice sent on ``sent`` by ``channel`` counts as received when no receipt is
    recorded: that day for in person, e-mail, online and fax; None for post and anything else."""
    return sent if channel in DEEMED_RECEIPT_CHANNELS else None


def payment_deadline(notice_received: date, calendar: WorkCalendar = DEFAULT_CALENDAR, *,
                     sent: date | None = None, deemed: bool = False) -> Deadline:
    """By when the applicant pays: the 20th working day after the day they received the notice
    (国办函〔2020〕109号), else ``other_unpaid_fee``. ``sent``: the day the notice went out, when
    known; ``deemed``: the receipt day is deemed (the day sent), not recorded."""
    count = count_working_days(notice_received, PAYMENT_WORKING_DAYS, calendar)
    lines = []
    if sent is not None and sent != notice_received:
        lines.append(f"收费通知发出：{show(sent)}。")
    how = "（未登记收到日期，按当面、电子邮件、网上平台或传真送达，以发出之日为收到之日）" if deemed else ""
    lines += [
        f"申请人收到收费通知：{show(notice_received)}{how}。",
        f"缴费期限：自收到收费通知的次日起第 {PAYMENT_WORKING_DAYS} 个工作日，即{show(count.due)}（国办函〔2020〕109号）；"
        "逾期未缴费的，视为放弃申请（表三“逾期未按收费通知要求缴纳费用”）。",
    ]
    for year in sorted(count.unknown_years):
        lines.append(f"注意：尚未录入{year}年国务院办公厅节假日安排，期限为暂定。")
    return Deadline(count.due, bool(count.unknown_years), lines, "fee_payment", None, [count])
