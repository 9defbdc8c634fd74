"""KPIs: managers by KPIs for a month or quarter, coloured by status against each target.

The numbers come from :class:`amtui.domain.kpi.KpiEngine`, the same engine as ``amtui kpi``.
One engine is built per ``data_version`` (the records parsed once) and shared by this screen,
the scorecard and the review form, so stepping through periods only computes the new ones.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import ContentSwitcher, DataTable, Sparkline, Static

from amtui.domain.i18n import N_, _, current, date_text, day_text, is_chinese, ngettext
from amtui.domain.kpi import (
    BACKLOG_LIMITS,
    KPI_LABELS,
    LOWER_IS_BETTER,
    STATUS_NO_DATA,
    STATUS_OFF,
    STATUS_ON,
    STATUS_RISK,
    TEAM,
    KpiTable,
    ManagerKpis,
    kpi_label,
    status_text,
)
from amtui.domain.period import MONTH, Period
from amtui.domain.schema import tab_label
from amtui.domain.text import fold
from amtui.services.export import export_table
from amtui.services.kpis import cached_kpi_data, kpi_data
from amtui.ui.messages import ScorecardClosed
from amtui.ui.screens.common import DataScreen, PeriodSteps, guarded, load_then, period_bindings
from amtui.ui.screens.scorecard import Scorecard
from amtui.ui.widgets.charts import TrendChart, export_html_report, show_kpi_trend
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.kpi_cells import (
    cell,
    judged_text,
    kpi_cell,
    sparkline_data,
    status_style,
    status_summary,
    trend_labels,
)
from amtui.ui.widgets.status import status_bar
from amtui.ui.widgets.tables import SteadyTable, enter_does

# The columns of the table, so it fits 120 columns; the CSAT cell already says how
# many ratings it rests on. The scorecard shows every KPI.
TABLE_KPIS: tuple[str, ...] = ("csat", "on_time", "completion", "revenue", "response_hours",
                               "open_feedback", "overdue", "blocked", "training_hours",
                               "mentoring_sessions")
SHORT_LABELS = {**KPI_LABELS, "training_hours": N_("Train h")}
TEAM_ROW = "__team__"
# Bigger is better for these; for the rest (hours, backlog counts) smaller is better.
HIGHER_IS_BETTER = frozenset(
    k for k in KPI_LABELS if k not in LOWER_IS_BETTER and k not in BACKLOG_LIMITS
)
# The table's own actions, off while the scorecard is shown.
TABLE_ACTIONS = frozenset({"prev_period", "next_period", "toggle_period", "this_period", "sort",
                           "open_scorecard", "export"})

KpiGrid = enter_does(SteadyTable, N_("Scorecard"), "kpis.open_scorecard")


# -- sorting ------------------------------------------------------------------------------------


def sort_rows(rows: list[ManagerKpis], key: str, reverse: bool) -> list[ManagerKpis]:
    """Rows ordered by ``key``: "name", "status" (most off target first) or a KPI key.

    A KPI sorts worst first (lowest CSAT, most overdue...); ``reverse`` flips that. Rows
    without data stay at the bottom either way."""
    by_name = sorted(rows, key=lambda r: (fold(r.manager_name), r.manager_id or ""))
    if key == "name":
        return list(reversed(by_name)) if reverse else by_name
    if key == "status":
        ranked = sorted(by_name, key=lambda r: (-r.count(STATUS_OFF), -r.count(STATUS_RISK)))
        return list(reversed(ranked)) if reverse else ranked
    with_data = [r for r in by_name if r.kpis[key].value is not None]
    without = [r for r in by_name if r.kpis[key].value is None]
    worst_first = key not in HIGHER_IS_BETTER  # big hours / backlog counts are the worst
    with_data.sort(key=lambda r: r.kpis[key].value, reverse=worst_first != reverse)
    return with_data + without


# -- the screen ---------------------------------------------------------------------------------


class KpisScreen(PeriodSteps, DataScreen):
    """Managers (rows) by KPIs (columns) for the selected month or quarter."""

    # The scorecard's and the review form's styles load with this screen, so opening the
    # form does not re-parse the app's stylesheet (about 60 ms each time).
    CSS_PATH = ["kpis.tcss", "scorecard.tcss", "forms.tcss"]
    BINDINGS = [
        *period_bindings("kpis"),
        Binding("t", "this_period", N_("This period"), id="kpis.this_period"),
        Binding("s", "sort", N_("Sort by column"), id="kpis.sort"),
        Binding("e", "export", N_("Export"), id="kpis.export",
                tooltip=N_("Export the table as CSV and Markdown, and the report as HTML")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: Period | None = None
        self.table: KpiTable | None = None
        self.sort_key = "name"
        self.sort_reverse = False
        self.shown_rows: list[ManagerKpis] = []
        self.trend_key = "csat"  # KPI of the sparkline when the cursor is on a name
        self.back_to: str | None = None  # the mode that opened the scorecard
        self.left_managers: set[str] = set()
        self.headers_shown: tuple[str, bool, str] | None = None  # the sort in the column headers

    def compose(self) -> ComposeResult:
        yield status_bar()
        with ContentSwitcher(initial="kpi-view", id="kpi-switcher"):
            with Vertical(id="kpi-view"):
                yield Static("", id="kpis-title")
                yield Static("", id="kpis-note")
                yield KpiGrid(id="kpi-table", cursor_type="cell", zebra_stripes=True)
                with Horizontal(id="kpi-detail"):
                    yield Static("", id="kpi-focus")
                    with Vertical(id="kpi-trend-box"):
                        yield Static("", id="kpi-trend-title")
                        yield Sparkline([], id="kpi-trend")
                        yield Static("", id="kpi-trend-labels")
                    yield TrendChart(id="kpi-team-trend")
            yield Scorecard(id="scorecard")
        yield KeyBar()

    def on_mount(self) -> None:
        # DataScreen.on_mount (called too) reloads on new data; the first reload comes when
        # the screen is shown.
        self.period = Period.month_of(self.app.today)
        self.watch(self.app, "theme", self.theme_changed, init=False)

    @property
    def scorecard(self) -> Scorecard:
        return self.query_one("#scorecard", Scorecard)

    @property
    def showing_scorecard(self) -> bool:
        return self.query_one("#kpi-switcher", ContentSwitcher).current == "scorecard"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # the table's keys rest while the scorecard is shown (its own keys take over)
        if action in TABLE_ACTIONS and self.is_mounted and self.showing_scorecard:
            return False
        return True

    def reload(self, full: bool = False) -> None:
        self.refresh_table()
        if self.showing_scorecard:
            self.scorecard.show()

    def theme_changed(self, _theme: str) -> None:
        if self.table is not None:
            self.fill_table()
        if self.showing_scorecard:
            self.scorecard.show()

    # -- loading ---------------------------------------------------------------------------

    def refresh_table(self) -> None:
        """Show the table for ``self.period``: at once when the data is built, else after a
        worker builds it (the large demo takes about a second)."""
        data = cached_kpi_data(self.app)
        if data is None:
            self.query_one("#kpis-note", Static).update(_("Computing KPIs…"))
            self.load_in_background()
            return
        self.table = data.table(self.period, self.app.today)
        # managers who left still show while they have data in the period: say so
        self.left_managers = {mid for mid, m in data.managers.items() if fold(m.get("status")) == "left"}
        self.fill_table()

    @work(thread=True, exclusive=True, group="kpis-load")
    def load_in_background(self) -> None:
        load_then(self.app, kpi_data, self.refresh_table)

    # -- drawing ---------------------------------------------------------------------------

    def fill_table(self) -> None:
        table = self.table
        assert table is not None and self.period is not None
        grid = self.query_one("#kpi-table", DataTable)
        keep_row, keep_col = self.cursor_row_key(), grid.cursor_coordinate.column
        self.shown_rows = sort_rows(table.rows, self.sort_key, self.sort_reverse)

        headers = (self.sort_key, self.sort_reverse, current())
        if headers != self.headers_shown or not grid.columns:
            grid.clear(columns=True)
            grid.add_column(self.header(_("Manager"), "name"), key="name")
            for key in TABLE_KPIS:
                grid.add_column(self.header(_(SHORT_LABELS[key]), key), key=key)
            self.headers_shown = headers
        else:
            # same columns: keeping them keeps their widths, so the table is drawn once
            # per period step instead of twice (every cell of ~50 rows, 10 KPIs)
            grid.clear()
        for row in self.shown_rows:
            name = cell(row.manager_name)
            if row.manager_id in self.left_managers:
                name.append(" " + _("(left)"), "dim")
            cells = [name]
            cells += [kpi_cell(self.app, row.kpis[k]) for k in TABLE_KPIS]
            grid.add_row(*cells, key=row.manager_id)
        team = [cell(_(TEAM), "bold")]
        team += [kpi_cell(self.app, table.team.kpis[k]) for k in TABLE_KPIS]
        grid.add_row(*team, key=TEAM_ROW)

        row_index = 0
        if keep_row is not None:
            keys = [r.manager_id for r in self.shown_rows] + [TEAM_ROW]
            row_index = keys.index(keep_row) if keep_row in keys else 0
        grid.cursor_coordinate = Coordinate(row_index, min(keep_col, len(TABLE_KPIS)))

        self.update_title()
        self.update_detail()

    def header(self, label: str, key: str) -> Text:
        if key == self.sort_key or (key == "name" and self.sort_key == "status"):
            arrow = "↑" if self.sort_reverse else "↓"
            if self.sort_key == "status":
                label = _("Manager (most off target)")
            return Text(f"{label} {arrow}", style="bold")
        return Text(label)

    def update_title(self) -> None:
        table, period = self.table, self.period
        assert table is not None and period is not None
        # 2026年11月 says it is a month: Chinese needs no kind after it
        kind = "" if is_chinese() else " " + (_("month") if period.kind == MONTH
                                              else _("quarter"))
        now = _("(current)") if period.is_current(self.app.today) else ""
        now = now if is_chinese() or not now else " " + now
        span = (f"{day_text(period.start)} – {date_text(period.end)}" if is_chinese()
                else f"{period.start:%d %b} – {period.end:%d %b %Y}")
        title = Text.assemble(
            (_("KPIs") + " ", "bold"), (f"{period.label}", "bold"), f"{kind}{now}  ",
            (span, ""),
            "  ·  " + ngettext("{n} manager", "{n} managers", len(table.rows)).format(
                n=len(table.rows))
            + "  ·  " + _("backlog as of {day}").format(day=date_text(table.reference_date)),
        )
        # fixed-size lines: no layout pass needed when their text changes
        self.query_one("#kpis-title", Static).update(title, layout=False)
        legend = Text.assemble(
            (status_text(STATUS_ON), status_style(self.app, STATUS_ON)), "  ",
            (status_text(STATUS_RISK), status_style(self.app, STATUS_RISK)), "  ",
            (status_text(STATUS_OFF), status_style(self.app, STATUS_OFF)), "  ",
            ("— " + status_text(STATUS_NO_DATA), status_style(self.app, STATUS_NO_DATA)), "   ",
        )
        left_out = {tab: n for tab, n in table.unassigned.items() if n}
        if left_out:
            parts = ", ".join(f"{n} {tab_label(tab)}" if is_chinese() else f"{n} {tab}"
                              for tab, n in left_out.items())
            legend.append(_("left out (unknown manager): {parts}").format(parts=parts),
                          style=status_style(self.app, STATUS_RISK))
        else:
            legend.append(_("[ ] period · p month/quarter · s sort · enter scorecard · "
                            "e export"),
                          style=status_style(self.app, STATUS_NO_DATA))
        self.query_one("#kpis-note", Static).update(legend, layout=False)

    def cursor_row_key(self) -> str | None:
        grid = self.query_one("#kpi-table", DataTable)
        if grid.row_count == 0:
            return None
        keys = [r.manager_id for r in self.shown_rows] + [TEAM_ROW]
        row = grid.cursor_coordinate.row
        return keys[row] if 0 <= row < len(keys) else None

    def highlighted(self) -> tuple[ManagerKpis | None, str | None]:
        """The row and KPI key under the cursor (KPI None on the Manager column)."""
        if self.table is None:
            return None, None
        grid = self.query_one("#kpi-table", DataTable)
        key = self.cursor_row_key()
        row = self.table.team if key == TEAM_ROW else self.table.row(key) if key else None
        column = grid.cursor_coordinate.column
        kpi = TABLE_KPIS[column - 1] if 1 <= column <= len(TABLE_KPIS) else None
        return row, kpi

    def update_detail(self) -> None:
        row, key = self.highlighted()
        focus = self.query_one("#kpi-focus", Static)
        if row is None or self.table is None:
            focus.update("", layout=False)
            return
        if key is not None:
            self.trend_key = key
        kpi = row.kpis[self.trend_key]
        style = status_style(self.app, kpi.status)
        shown = status_text(STATUS_NO_DATA) if kpi.value is None else kpi.display
        behind = (_("{n} record(s) behind this number: enter for the scorecard").format(
            n=len(kpi.evidence)) if kpi.evidence else _("enter: scorecard with the evidence"))
        focus.update(Text.assemble(
            (row.manager_name, "bold"), "\n",
            (f"{kpi.label} {shown}", style), f"  {judged_text(kpi)}  ",
            (status_text(kpi.status), style), "\n",
            status_summary(row), "\n",
            (behind, status_style(self.app, STATUS_NO_DATA)),
        ), layout=False)
        n = len(kpi.trend)
        title = (ngettext("{kpi}, last {n} month", "{kpi}, last {n} months", n)
                 if self.table.period.kind == MONTH
                 else ngettext("{kpi}, last {n} quarter", "{kpi}, last {n} quarters", n))
        self.query_one("#kpi-trend-title", Static).update(
            title.format(kpi=kpi.label, n=n), layout=False)
        self.query_one("#kpi-trend", Sparkline).data = sparkline_data(kpi.trend)
        self.query_one("#kpi-trend-labels", Static).update(
            trend_labels(kpi, self.table.trend_periods), layout=False)
        self.show_team_chart(self.trend_key)

    def show_team_chart(self, key: str) -> None:
        """The team's trend of the highlighted column against the team target."""
        data = cached_kpi_data(self.app)
        if data is None or self.period is None:
            return
        show_kpi_trend(self.query_one("#kpi-team-trend", TrendChart),
                       data, self.period, None, key,
                       _("Team {kpi}").format(kpi=kpi_label(key)))

    @on(DataTable.CellHighlighted, "#kpi-table")
    def cell_highlighted(self, _event: DataTable.CellHighlighted) -> None:
        self.update_detail()

    @on(DataTable.CellSelected, "#kpi-table")
    def cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_scorecard()

    @on(DataTable.HeaderSelected, "#kpi-table")
    def header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.cycle_sort(str(event.column_key.value))

    # -- actions ---------------------------------------------------------------------------

    def show_period(self, period: Period) -> None:
        self.period = period
        self.refresh_table()

    @guarded
    def action_this_period(self) -> None:
        if self.period is not None:
            self.show_period(Period.of(self.period.kind, self.app.today))

    @guarded
    def action_sort(self) -> None:
        column = self.query_one("#kpi-table", DataTable).cursor_coordinate.column
        self.cycle_sort("name" if column == 0 else TABLE_KPIS[column - 1])

    def cycle_sort(self, column: str) -> None:
        """One column cycles through: worst first → best first → back to names. On the
        Manager column: most off target first → by name."""
        current = "name" if self.sort_key == "status" else self.sort_key
        if column == "name":
            self.sort_key, self.sort_reverse = (
                ("status", False) if self.sort_key == "name" else ("name", False))
        elif current != column:
            self.sort_key, self.sort_reverse = column, False
        elif not self.sort_reverse:
            self.sort_reverse = True
        else:
            self.sort_key, self.sort_reverse = "name", False
        if self.table is not None:
            self.fill_table()
            self.notify(self.sort_description(), timeout=2)

    def sort_description(self) -> str:
        if self.sort_key == "name":
            return _("Sorted by name")
        if self.sort_key == "status":
            return _("Sorted by most KPIs off target")
        if self.sort_reverse:
            return _("Sorted by {kpi}, best first").format(kpi=kpi_label(self.sort_key))
        return _("Sorted by {kpi}, worst first").format(kpi=kpi_label(self.sort_key))

    @guarded
    def action_open_scorecard(self) -> None:
        row, key = self.highlighted()
        if row is None or self.period is None:
            return
        self.open_scorecard(row.manager_id, self.period, kpi=key)

    def open_scorecard(self, manager_id: str | None, period: Period, *,
                       kpi: str | None = None, back_to: str | None = None) -> None:
        """Show a manager's scorecard (``None``: the team's) in place of the table;
        ``back_to``: the mode escape returns to (the scorecard was opened from there)."""
        self.back_to = back_to
        self.query_one("#kpi-switcher", ContentSwitcher).current = "scorecard"
        self.scorecard.open(manager_id, period, kpi=kpi)
        self.refresh_bindings()

    def on_scorecard_closed(self, message: ScorecardClosed) -> None:
        """Escape on the scorecard: back to the table, or to the mode it was opened from."""
        message.stop()
        self.query_one("#kpi-switcher", ContentSwitcher).current = "kpi-view"
        self.refresh_bindings()
        if message.period != self.period:  # the table follows the scorecard's period
            self.show_period(message.period)
        self.query_one("#kpi-table", DataTable).focus()
        back_to, self.back_to = self.back_to, None
        if back_to and back_to != self.app.current_mode:
            self.app.switch_mode(back_to)

    @guarded
    def action_export(self) -> None:
        if self.table is None or self.period is None:
            return
        folder = Path(self.app.workspace.config.folder) / "reports"
        try:
            csv_path, md_path = export_table(self.table, self.shown_rows, folder, TABLE_KPIS)
        except OSError as err:
            self.notify(_("Could not write the report: {error}").format(error=err),
                        severity="error")
            return
        self.notify(_("KPIs for {period} written to {csv} and {md}").format(
            period=self.period.label, csv=csv_path, md=md_path.name),
            title=_("Exported"), timeout=8)
        export_html_report(self, self.period)  # and the report with charts, as HTML
