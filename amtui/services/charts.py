"""Chart data shared by the screens and the report (no Textual): KPI trends against their
targets, the board's cumulative flow and throughput, and the managers' weekly load.

    engine = KpiEngine(records, rules.default_targets)
    table_of = lambda p: engine.table(p, today=today)
    trend = kpi_trends(table_of, Period.parse("2026-Q4"), manager_id=None)["csat"]
    trend.labels, trend.values, trend.targets          # oldest first, 6 periods

    flow = board_flow(records["projects"], store.events(tab="projects"), today, stages)
    flow.weeks, flow.stages["In Progress"], flow.delivered

The KPI values and targets are those of ``KpiEngine.table`` for each period, the very
numbers ``amtui kpi`` prints, never a second computation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from amtui.domain import timeline as tl
from amtui.domain.i18n import day_text, is_chinese
from amtui.domain.kpi import KPI_KEYS, KpiTable, kpi_label
from amtui.domain.period import Period

TREND_PERIODS = 6
FLOW_WEEKS = 12


def period_label(period: Period) -> str:
    """``Nov`` for a month, ``Q4 26`` for a quarter (chart axes; ``11月``, ``26年Q4`` in
    Chinese)."""
    return period.short_label


@dataclass
class Trend:
    """One KPI over the last periods, oldest first, with each period's own target."""

    key: str
    label: str
    periods: list[Period]
    values: list[float | None]
    targets: list[float | None]
    statuses: list[str]

    @property
    def labels(self) -> list[str]:
        return [period_label(p) for p in self.periods]


def kpi_trends(table_of: Callable[[Period], KpiTable], period: Period,
               manager_id: str | None, count: int = TREND_PERIODS,
               keys: tuple[str, ...] = KPI_KEYS) -> dict[str, Trend]:
    """Each KPI of a manager (``None``: the team) over the ``count`` periods ending with
    ``period``; ``table_of(period)`` is the KPI table of a period (``KpiEngine.table`` or
    the screens' cached tables). A manager without a row in a period has no data there."""
    periods = period.last(count)
    out = {k: Trend(k, kpi_label(k), periods, [], [], []) for k in keys}
    for p in periods:
        table = table_of(p)
        row = table.team if manager_id is None else table.row(manager_id)
        for key in keys:
            kpi = row.kpis[key] if row is not None else None
            out[key].values.append(kpi.value if kpi else None)
            out[key].targets.append(kpi.target if kpi else None)
            out[key].statuses.append(kpi.status if kpi else "no data")
    return out


@dataclass
class Flow:
    """Projects per stage at the end of each week, and deliveries per week."""

    weeks: list[date]
    stages: dict[str, list[int]] = field(default_factory=dict)
    delivered: list[int] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return week_labels(self.weeks)


def board_flow(projects: list[dict], events: list[dict], end: date,
               stages: tuple[str, ...] | list[str], weeks: int = FLOW_WEEKS) -> Flow:
    """The cumulative flow (projects per stage per week) and throughput (delivered per
    week) of the ``weeks`` weeks ending with the week of ``end``, from the recorded stage
    changes and the projects' dates (see ``timeline.stage_on``)."""
    mondays = tl.last_weeks(end, weeks)
    return Flow(mondays, tl.cumulative_flow(projects, events, mondays, stages),
                tl.throughput(projects, mondays))


@dataclass
class Load:
    """Projects running per manager per week (the Timeline's load rows)."""

    weeks: list[date]
    managers: dict[str, list[int]]

    @property
    def labels(self) -> list[str]:
        return week_labels(self.weeks)


def week_labels(weeks: list[date]) -> list[str]:
    """``3 Dec`` per week (``12月3日`` in Chinese)."""
    if is_chinese():
        return [day_text(w) for w in weeks]
    return [f"{w.day} {w:%b}" for w in weeks]


def period_weeks(period: Period) -> list[date]:
    first = tl.monday(period.start)
    return [first + timedelta(days=7 * n)
            for n in range((period.end - first).days // 7 + 1)]


def manager_load(projects: list[dict], period: Period, today: date) -> Load:
    weeks = period_weeks(period)
    groups = tl.group_projects(projects, today)
    return Load(weeks, {g.manager: tl.weekly_load(g.spans, weeks, today) for g in groups})
