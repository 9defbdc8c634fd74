"""A manager's scorecard: every KPI against target with its trend, and the records behind
the bad numbers (late projects, low ratings with their text, slow responses...).

A widget inside the KPI screen, shown in place of the table by ``enter`` and hidden again by
``escape`` (posting :class:`Scorecard.Closed`): showing it costs no new screen, so it opens
in a few dozen milliseconds even on 50 managers. ``enter`` on an evidence row opens the
project on the Board or the feedback in the Inbox (``app.open_record``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Sparkline, Static

from amtui.domain.facts import response_hours
from amtui.domain.i18n import N_, _, date_text, is_chinese, ngettext, pgettext
from amtui.domain.kpi import (
    KPI_COLUMNS,
    STATUS_NO_DATA,
    TEAM,
    KpiTable,
    KpiValue,
    ManagerKpis,
    kpi_columns,
    kpi_label,
    status_text,
)
from amtui.domain.parse import read_date, read_when, shown_date
from amtui.domain.period import MONTH, Period
from amtui.domain.schema import shown
from amtui.domain.text import clip
from amtui.services.kpis import KpiData, cached_kpi_data, kpi_data
from amtui.ui.messages import ScorecardClosed
from amtui.ui.screens.common import PeriodSteps, guarded, load_then, period_bindings
from amtui.ui.screens.review_form import ReviewForm
from amtui.ui.widgets.charts import TrendChart, show_kpi_trend
from amtui.ui.widgets.kpi_cells import (
    cell,
    judged_text,
    mini_trend,
    sparkline_data,
    status_style,
    status_summary,
    target_text,
    trend_labels,
)
from amtui.ui.widgets.tables import SteadyTable, enter_does

# Which tab each KPI's evidence IDs point into, and how the group is titled.
EVIDENCE = {
    "csat": ("feedback", N_("Low ratings (3 or less)")),
    "on_time": ("projects", N_("Delivered late")),
    "completion": ("projects", N_("Due in the period, not delivered")),
    "response_hours": ("feedback", N_("Slow responses")),
    "open_feedback": ("feedback", N_("Open feedback")),
    "overdue": ("projects", N_("Overdue")),
    "blocked": ("projects", N_("Blocked")),
    "at_risk": ("projects", N_("At risk")),
}
# "In time" rests on the same slow responses as the median: shown once.
EVIDENCE_OF = {"response_within": "response_hours"}
TEXT_WIDTH = 70
EVIDENCE_SHOWN = 20  # records listed per KPI; the rest are counted


KpiList = enter_does(SteadyTable, N_("Its evidence"), "scorecard.evidence")
EvidenceList = enter_does(SteadyTable, N_("Open in Board/Inbox"), "scorecard.open_item")


@dataclass(frozen=True)
class EvidenceRow:
    kpi: str
    tab: str
    record_id: str


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    """One evidence line (see :func:`amtui.domain.text.clip`)."""
    return clip(text, width)


def _days(later: date | None, earlier: date | None) -> int | None:
    return (later - earlier).days if later and earlier else None


def describe_evidence(kpi: str, record: dict | None, today: date,
                      target_hours: float | None) -> str:
    """One line saying why a record counts against a KPI."""
    if record is None:
        return _("(record no longer in the store)")
    if EVIDENCE[kpi][0] == "projects":
        name = record.get("project") or record.get("id")
        due, delivered = read_date(record.get("due")), read_date(record.get("delivered"))
        stage = shown(record.get("stage") or "") or _("no stage")
        if kpi == "on_time":
            late = _days(delivered, due)
            return _short(_("{name}: due {due}, delivered {delivered} ({n} days late)").format(
                name=name, due=shown_date(record.get("due")), delivered=shown_date(record.get("delivered")),
                n=late))
        if kpi == "overdue":
            days = _days(today, due)
            return _short(_("{name}: due {due}, {n} days overdue, {stage}").format(
                name=name, due=shown_date(record.get("due")), n=days, stage=stage))
        if kpi in ("blocked", "at_risk"):
            why = record.get("blocker") or record.get("next_step") or _("no blocker given")
            return _short(f"{name}: {why}")
        return _short(_("{name}: due {due}, {stage}").format(
            name=name, due=shown_date(record.get("due") or "?"), stage=stage))
    who = record.get("from_") or record.get("client") or _("someone")
    said = record.get("text") or _("(no text)")
    if kpi == "csat":
        return _short(f"{record.get('rating')}★ {who} ({shown_date(record.get('received'))}): {said}")
    if kpi == "response_hours":
        hours = response_hours(read_when(record.get("received")),  # the KPI's own rule
                               read_when(record.get("responded"))) or 0
        if target_hours:
            text = _("{hours} h to answer (target {target} h): {who}: {said}").format(
                hours=f"{hours:.0f}", target=f"{target_hours:g}", who=who, said=said)
        else:
            text = _("{hours} h to answer: {who}: {said}").format(
                hours=f"{hours:.0f}", who=who, said=said)
        return _short(text)
    status = shown(record.get("status") or "New")
    return _short(_("{status} since {day}: {who}: {said}").format(
        status=status, day=shown_date(record.get("received") or "?"), who=who, said=said))


def evidence_rows(row: ManagerKpis, limit: int = EVIDENCE_SHOWN) -> list[EvidenceRow]:
    """The evidence per KPI, at most ``limit`` records each, then one "more" row (an empty
    record ID): a list of 200 open items says less than the count and the first twenty."""
    out = []
    for key, _label in KPI_COLUMNS:
        if key not in EVIDENCE:
            continue
        tab = EVIDENCE[key][0]
        ids = row.kpis[key].evidence
        out += [EvidenceRow(key, tab, rid) for rid in ids[:limit]]
        if len(ids) > limit:
            out.append(EvidenceRow(key, tab, ""))
    return out


class Scorecard(PeriodSteps, Vertical):
    """Every KPI of one manager (or the team, ``manager_id=None``) for one period."""

    BINDINGS = [
        Binding("escape", "close", N_("Back to the table"), id="scorecard.back"),
        *period_bindings("scorecard"),
        Binding("r", "write_review", N_("Write review"), id="scorecard.write_review"),
    ]

    Closed = ScorecardClosed

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.manager_id: str | None = None
        self.period: Period | None = None
        self.kpi = "csat"
        self.table: KpiTable | None = None
        self.row: ManagerKpis | None = None
        self.evidence: list[EvidenceRow] = []
        self.start_row = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="sc-title")
        yield Static("", id="sc-subtitle")
        with Horizontal(id="sc-top"):
            yield KpiList(id="sc-kpis", cursor_type="row", zebra_stripes=True)
            with Vertical(id="sc-chart"):
                yield Static("", id="sc-chart-title")
                yield Sparkline([], id="sc-spark")
                yield TrendChart(id="sc-trend")
                yield Static("", id="sc-chart-labels")
                yield Static("", id="sc-kpi-note")
        yield Static("", id="sc-evidence-title")
        yield EvidenceList(id="sc-evidence", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#sc-kpis", DataTable).add_columns(
            _("KPI"), pgettext("kpi", "Value"), _("Target"), _("Status"), _("Trend"), _("Items"))
        # fixed widths: the table need not measure every row to lay itself out
        evidence = self.query_one("#sc-evidence", DataTable)
        evidence.add_column(_("KPI"), width=32)
        evidence.add_column(_("Record"), width=8)
        evidence.add_column(_("Why"), width=TEXT_WIDTH)

    def open(self, manager_id: str | None, period: Period, *, kpi: str | None = None) -> None:
        """Show this manager's scorecard (the KPI row under the cursor: ``kpi``)."""
        self.manager_id, self.period = manager_id, period
        self.kpi = kpi or "csat"
        keys = [k for k, _ in KPI_COLUMNS]
        grid = self.query_one("#sc-kpis", DataTable)
        self.start_row = keys.index(self.kpi) if self.kpi in keys else 0
        grid.clear()
        self.show()
        grid.focus()

    # -- drawing ---------------------------------------------------------------------------

    def show(self) -> None:
        """Draw the scorecard from the KPI data of the current data version."""
        if self.period is None:
            return
        data = cached_kpi_data(self.app)
        if data is None:
            self.query_one("#sc-subtitle", Static).update(_("Computing KPIs…"))
            self.load_in_background()
            return
        self.table = data.table(self.period, self.app.today)
        self.row = (self.table.team if self.manager_id is None
                    else self.table.row(self.manager_id))
        self.fill(data)

    @work(thread=True, exclusive=True, group="scorecard-load")
    def load_in_background(self) -> None:
        load_then(self.app, kpi_data, self.show)

    def fill(self, data: KpiData) -> None:
        period = self.period
        manager = data.managers.get(self.manager_id or "", {})
        name = self.row.manager_name if self.row else (manager.get("name") or self.manager_id)
        # 2026年11月 says it is a month: Chinese needs no kind after it
        kind = "" if is_chinese() else " " + (_("month") if period.kind == MONTH
                                              else _("quarter"))
        self.query_one("#sc-title", Static).update(Text.assemble(
            (_("Scorecard") + "  ", "bold"), (name or _(TEAM), "bold"),
            f"  ·  {period.label}{kind}  ·  "
            + _("{start} to {end}").format(start=date_text(period.start),
                                           end=date_text(period.end))))
        facts = [shown(str(manager.get(k))) for k in ("role", "team", "status")
                 if manager.get(k)]
        if manager.get("mentor"):
            facts.append(_("mentor {name}").format(name=manager["mentor"]))
        if self.row is not None:
            facts.append(status_summary(self.row))
        else:
            facts.append(_("no KPIs for this period (a manager who left, with no data)"))
        self.query_one("#sc-subtitle", Static).update("  ·  ".join(facts))

        grid = self.query_one("#sc-kpis", DataTable)
        keep = grid.cursor_coordinate.row if grid.row_count else self.start_row
        grid.clear()
        if self.row is not None:
            for key, label in kpi_columns():
                kpi = self.row.kpis[key]
                style = status_style(self.app, kpi.status)
                evidence = self.evidence_of(key)
                grid.add_row(
                    cell(label),
                    cell("—" if kpi.value is None else kpi.display, style, right=True),
                    cell(target_text(kpi)),
                    cell(status_text(kpi.status), style),
                    cell(mini_trend(kpi.trend)),
                    cell(str(len(evidence)) if evidence else "", right=True),
                    key=key,
                )
        if grid.row_count:
            grid.cursor_coordinate = Coordinate(min(keep, grid.row_count - 1), 0)

        self.evidence = evidence_rows(self.row) if self.row else []
        rows = self.query_one("#sc-evidence", DataTable)
        rows.clear()
        target_hours = self.row.kpis["response_hours"].target if self.row else None
        for item in self.evidence:
            if not item.record_id:
                more = len(self.row.kpis[item.kpi].evidence) - EVIDENCE_SHOWN
                rows.add_row(cell(_(EVIDENCE[item.kpi][1]), "dim"), cell(""),
                             cell(_("… and {n} more").format(n=more), "dim"))
                continue
            record = (data.projects if item.tab == "projects" else data.feedback).get(
                item.record_id)
            rows.add_row(
                cell(_(EVIDENCE[item.kpi][1])), cell(item.record_id),
                cell(describe_evidence(item.kpi, record, self.app.today, target_hours)),
            )
        count = sum(len(self.row.kpis[k].evidence) for k in EVIDENCE) if self.row else 0
        self.query_one("#sc-evidence-title", Static).update(Text.assemble(
            (_("Evidence"), "bold"),
            "  " + _("{n} record(s) behind the numbers · enter opens one in the Board or "
                     "Inbox").format(n=count)
            if count else "  " + _("nothing behind these numbers needs a look")))
        self.show_kpi()

    def evidence_of(self, key: str) -> list[str]:
        if self.row is None:
            return []
        return self.row.kpis[EVIDENCE_OF.get(key, key)].evidence if (
            EVIDENCE_OF.get(key, key) in EVIDENCE) else []

    def show_kpi(self) -> None:
        """The chart and note of the highlighted KPI; the evidence cursor moves to it."""
        if self.row is None or self.table is None:
            for widget_id in ("#sc-chart-title", "#sc-chart-labels", "#sc-kpi-note"):
                self.query_one(widget_id, Static).update("")
            self.query_one("#sc-spark", Sparkline).data = []
            return
        kpi: KpiValue = self.row.kpis[self.kpi]
        n = len(kpi.trend)
        last = (ngettext(", last {n} month", ", last {n} months", n)
                if self.period.kind == MONTH
                else ngettext(", last {n} quarter", ", last {n} quarters", n))
        self.query_one("#sc-chart-title", Static).update(Text.assemble(
            (kpi.label, "bold"), last.format(n=n)))
        self.query_one("#sc-spark", Sparkline).data = sparkline_data(kpi.trend)
        self.query_one("#sc-chart-labels", Static).update(
            trend_labels(kpi, self.table.trend_periods))
        style = status_style(self.app, kpi.status)
        value = status_text(STATUS_NO_DATA) if kpi.value is None else kpi.display
        evidence = self.evidence_of(self.kpi)
        self.query_one("#sc-kpi-note", Static).update(Text.assemble(
            (f"{value}", style), f"  {judged_text(kpi)}  ", (status_text(kpi.status), style),
            "\n",
            (_("{n} record(s) below").format(n=len(evidence)) if evidence
             else _("no records to show"),
             status_style(self.app, STATUS_NO_DATA)),
        ))
        self.show_trend_chart(kpi)
        wanted = EVIDENCE_OF.get(self.kpi, self.kpi)
        first = next((i for i, e in enumerate(self.evidence) if e.kpi == wanted), None)
        if first is not None:
            grid = self.query_one("#sc-evidence", DataTable)
            grid.move_cursor(row=first, animate=False, scroll=False)
            # the group starts at the top (after layout, when the table knows its size)
            self.call_after_refresh(grid.scroll_to, y=first, animate=False)

    def show_trend_chart(self, kpi: KpiValue) -> None:
        """The highlighted KPI over the last periods against its target (plotext)."""
        data = cached_kpi_data(self.app)
        if data is None or self.period is None:
            return
        name = self.row.manager_name if self.row else _(TEAM)
        show_kpi_trend(self.query_one("#sc-trend", TrendChart),
                       data, self.period, self.manager_id, kpi.key, f"{kpi.label} · {name}")

    @on(DataTable.RowHighlighted, "#sc-kpis")
    def kpi_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value:
            self.kpi = str(event.row_key.value)
            self.show_kpi()

    @on(DataTable.RowSelected, "#sc-kpis")
    def kpi_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    @on(DataTable.RowSelected, "#sc-evidence")
    def evidence_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    # -- actions ---------------------------------------------------------------------------

    @guarded
    def action_open_item(self) -> None:
        """On the KPI list: jump to its evidence. On the evidence: open the record."""
        evidence = self.query_one("#sc-evidence", DataTable)
        if self.screen.focused is not evidence:
            if self.evidence_of(self.kpi):
                evidence.focus()
            else:
                self.notify(_("No records behind {kpi}").format(kpi=self.kpi_label()),
                            timeout=3)
            return
        row = evidence.cursor_coordinate.row
        if 0 <= row < len(self.evidence):
            item = self.evidence[row]
            if item.record_id:
                self.app.open_record(item.tab, item.record_id)
            else:
                self.notify(_("Filter the Inbox by this manager to see them all")
                            if item.tab == "feedback" else
                            _("Filter the Board by this manager to see them all"), timeout=4)

    def kpi_label(self) -> str:
        return kpi_label(self.kpi)

    @guarded
    def action_close(self) -> None:
        evidence = self.query_one("#sc-evidence", DataTable)
        if self.screen.focused is evidence:  # first escape: back to the KPI list
            self.query_one("#sc-kpis", DataTable).focus()
            return
        if self.period is not None:
            self.post_message(ScorecardClosed(self.period))

    def show_period(self, period: Period) -> None:
        self.period = period
        self.show()

    @guarded
    def action_write_review(self) -> None:
        if self.manager_id is None:
            self.notify(_("Reviews are written for one manager: open a manager's scorecard"),
                        timeout=4)
            return
        self.app.open_form(ReviewForm(self.manager_id, period=self.period))
