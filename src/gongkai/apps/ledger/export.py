"""The registry as the ledger (台账) offices keep in Excel: any work list, with its filters, as
an XLSX file in the columns offices use.

One row per application, in the list's order. ID numbers are masked (``personal.mask_id_number``)
— the file leaves the system; text is written through ``safe_text`` so that an applicant's name
like ``=HYPERLINK(…)`` stays text (formula injection). The reply's due date is kept after the
decision (computed from the case's own dates, as the lifecycle does), and 是否按期 compares the
decision date with it. The workbook is written in openpyxl's write-only mode, row by row, so a
list of tens of thousands of cases does not sit in memory twice.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Callable, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gongkai.apps.cases.personal import mask_id_number
from gongkai.apps.cases.services import lifecycle_case
from gongkai.core.casework.workdays import DeadlineError, WorkCalendar
from gongkai.core.report.spreadsheet import safe_cell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _person(user) -> str:
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def reply_due(application, calendar: WorkCalendar) -> tuple[date | None, bool]:
    """The reply's due date and whether it is provisional — for a decided case too (the stored
    ``due_on`` is cleared at the decision; the ledger keeps the date the decision was due by)."""
    if application.due_on is not None:
        return application.due_on, application.due_provisional
    if application.state in ("withdrawn", "merged", "voided"):
        return None, False
    try:
        deadline = lifecycle_case(application).reply_deadline(calendar)
    except DeadlineError:
        return None, False
    return deadline.due, deadline.provisional


def on_time(application, due: date | None, day: date) -> str:
    """是否按期: 是/否 for a decided case, 逾期 for an open one past its due date, else empty."""
    if due is None:
        return ""
    if application.decided_on is not None:
        return "是" if application.decided_on <= due else "否"
    return "逾期" if day > due else ""


# (header, column width, value of a row) — the columns of an office's ledger.
Column = tuple[str, int, Callable]
COLUMNS: list[Column] = [
    ("编号", 11, lambda a, c: a.number),
    ("机关", 22, lambda a, c: a.agency.name),
    ("收到日期", 12, lambda a, c: a.received_on),
    ("申请人类别", 12, lambda a, c: a.get_applicant_type_display()),
    ("申请人", 16, lambda a, c: a.applicant_name),
    ("证件号码（隐去部分）", 22, lambda a, c: mask_id_number(a.id_number)),
    ("申请方式", 10, lambda a, c: a.get_channel_display()),
    ("申请内容", 40, lambda a, c: a.description),
    ("承办人", 10, lambda a, c: _person(a.handler)),
    ("答复期限", 12, lambda a, c: c["due"]),
    ("期限暂定", 8, lambda a, c: "暂定" if c["provisional"] else ""),
    ("是否延期", 8, lambda a, c: "是" if a.extended else "否"),
    ("状态", 12, lambda a, c: a.get_state_display()),
    ("办理结果", 26, lambda a, c: a.get_outcome_display() if a.outcome else ""),
    ("答复日期", 12, lambda a, c: a.decided_on),
    ("送达日期", 12, lambda a, c: a.replied_on),
    ("是否按期", 8, lambda a, c: c["on_time"]),
    ("复议诉讼", 8, lambda a, c: c["appeals"] or ""),
    ("文书文号", 28, lambda a, c: "；".join(c["letters"])),
]


def ledger_xlsx(applications: Iterable, calendar: WorkCalendar, day: date, title: str) -> bytes:
    """The ledger of ``applications`` (a queryset with agency and handler selected) as XLSX."""
    from django.db.models import Count, Prefetch

    from gongkai.apps.letters.models import IssuedLetter

    if hasattr(applications, "annotate"):
        applications = (applications.annotate(appeal_count=Count("appeals", distinct=True))
                        .prefetch_related("pauses", Prefetch("letters", queryset=IssuedLetter.objects.only(
                            "application_id", "number").order_by("pk"))))
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.freeze_panes = "B3"
    for index, (_, width, _) in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    heading = WriteOnlyCell(sheet, value=safe_cell(title))
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    headers = []
    for header, _, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        headers.append(cell)
    sheet.append(headers)
    for application in applications:
        due, provisional = reply_due(application, calendar)
        context = {"due": due, "provisional": provisional, "on_time": on_time(application, due, day),
                   "appeals": getattr(application, "appeal_count", 0),
                   "letters": [letter.number for letter in application.letters.all() if letter.number]}
        row = []
        for _, _, value in COLUMNS:
            cell = WriteOnlyCell(sheet, value=safe_cell(value(application, context)))
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
