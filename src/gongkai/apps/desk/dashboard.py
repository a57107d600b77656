"""The dashboard's figures: per agency the user may see, counted by one grouped query.

The conditions are those of the work lists (``worklists.WORKLISTS``), so a figure and the list it
links to always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q

from gongkai.apps.agencies.models import Agency
from gongkai.apps.agencies.permissions import visible_agencies
from gongkai.apps.cases.models import Application
from gongkai.core.casework.workdays import WorkCalendar

from .worklists import WORKLISTS

# The work lists counted on the dashboard, in the order shown, then the year's figures.
COUNTED = ("open", "due_today", "due_soon", "overdue", "waiting", "consultation_overdue", "undelivered")
FIGURE_LABELS = {
    "open": "在办", "due_today": "今日到期", "due_soon": "3个工作日内到期", "overdue": "已逾期",
    "waiting": "待申请人补正或缴费", "consultation_overdue": "征求意见逾期", "undelivered": "待送达",
    "received_year": "本年收到", "decided_year": "本年已决定",
}
RECENT_DECIDED = 10
RECENT_DAYS = 30  # "recently decided": decision dates of the last 30 days, the latest first


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    worklist: str | None  # the work list that shows these cases, if any


@dataclass
class AgencyFigures:
    agency: Agency | None  # None: the total over all agencies shown
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def figures(self) -> list[Figure]:
        return [Figure(key, FIGURE_LABELS[key], self.counts.get(key, 0), key if key in COUNTED else None)
                for key in FIGURE_LABELS]

    def add(self, other: "AgencyFigures") -> None:
        for key, value in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + value


@dataclass
class Dashboard:
    day: date
    rows: list[AgencyFigures]
    total: AgencyFigures | None  # only when more than one agency is shown
    recent: list[Application]

    @property
    def agencies(self) -> list[Agency]:
        return [row.agency for row in self.rows]


def build_dashboard(user, day: date, calendar: WorkCalendar) -> Dashboard:
    """The figures of every agency ``user`` may see on ``day`` (a supervisor: its whole subtree).

    Two grouped queries: the open cases (on the index agency, state, due_on), and the year's
    registrations and decisions together; then the latest decisions (agency, decided_on)."""
    agencies = list(visible_agencies(user).order_by("order_path"))
    ids = [agency.pk for agency in agencies]
    cases = Application.objects.filter(agency__in=ids).order_by()
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(FIGURE_LABELS, 0) for pk in ids}
    open_figures = {key: Count("pk", filter=WORKLISTS[key].condition(day, calendar)) for key in COUNTED}
    active = WORKLISTS["open"].condition(day, calendar) | WORKLISTS["undelivered"].condition(day, calendar)
    for row in cases.filter(active).values("agency").annotate(**open_figures):
        counts[row.pop("agency")].update(row)
    # The year's registrations and decisions in one pass (a county's whole year is most of the table).
    received = Q(year=day.year)
    decided = Q(decided_on__range=(date(day.year, 1, 1), date(day.year, 12, 31)))
    year_figures = {"received_year": Count("pk", filter=received), "decided_year": Count("pk", filter=decided)}
    for row in cases.filter(received | decided).values("agency").annotate(**year_figures):
        counts[row.pop("agency")].update(row)
    rows = [AgencyFigures(agency, counts[agency.pk]) for agency in agencies]
    total = None
    if len(rows) > 1:
        total = AgencyFigures(None, dict.fromkeys(FIGURE_LABELS, 0))
        for row in rows:
            total.add(row)
    recent = list(
        cases.filter(decided_on__gte=day - timedelta(days=RECENT_DAYS))
        .select_related("agency")
        .order_by("-decided_on", "-pk")[:RECENT_DECIDED]
    )
    return Dashboard(day, rows, total, recent)
