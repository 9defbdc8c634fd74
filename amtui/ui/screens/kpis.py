"""KPIs: managers by KPIs for a month or quarter, coloured by status against each target.

The numbers come from :class:`amtui.domain.kpi.KpiEngine`, the same engine as ``amtui kpi``.
One engine is built per ``data_version`` (the records parsed once) and shared by this screen,
the scorecard and the review form, so stepping through periods only computes the new ones.
"""

from __future__ import annotations

import csv
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.widgets import ContentSwitcher, DataTable, Sparkline, Static
from textual.worker import get_current_worker

from amtui.domain.kpi import (
    BACKLOG_LIMITS,
    KPI_LABELS,
    LOWER_IS_BETTER,
    STATUS_NO_DATA,
    STATUS_NO_TARGET,
    STATUS_OFF,
    STATUS_ON,
    STATUS_RISK,
    KpiEngine,
    KpiTable,
    KpiValue,
    ManagerKpis,
    format_value,
    norm,
)
from amtui.domain.period import MONTH, Period
from amtui.domain.schema import TABS
from amtui.ui.screens.common import DataScreen, guarded
from amtui.ui.widgets.charts import TrendChart, export_html_report, show_kpi_trend
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.status import status_bar

# The columns of the table, so it fits 120 columns; the CSAT cell already says how
# many ratings it rests on. The scorecard shows every KPI.
TABLE_KPIS: tuple[str, ...] = ("csat", "on_time", "completion", "revenue", "response_hours",
                               "open_feedback", "overdue", "blocked", "training_hours",
                               "mentoring_sessions")
SHORT_LABELS = {**KPI_LABELS, "training_hours": "Train h"}
TEAM_ROW = "__team__"
# Bigger is better for these; for the rest (hours, backlog counts) smaller is better.
HIGHER_IS_BETTER = frozenset(
    k for k in KPI_LABELS if k not in LOWER_IS_BETTER and k not in BACKLOG_LIMITS
)
# The table's own actions, off while the scorecard is shown.
TABLE_ACTIONS = frozenset({"prev_period", "next_period", "toggle_period", "this_period", "sort",
                           "open_scorecard", "export"})
STATUS_MARK = {STATUS_ON: "✓", STATUS_RISK: "!", STATUS_OFF: "✗"}
TREND_BARS = "▁▂▃▄▅▆▇█"
# Cells per period in the trend charts: 6 periods make a 48-cell chart.
CHART_STEP = 8


# -- shared KPI data (one per data_version) ----------------------------------------------------


@dataclass
class KpiData:
    """The records and the engine for one ``data_version`` of an app's store."""

    version: tuple[int, ...]
    records: dict[str, list[dict]]
    engine: KpiEngine
    projects: dict[str, dict]
    feedback: dict[str, dict]
    managers: dict[str, dict]
    tables: dict = field(default_factory=dict)

    def table(self, period: Period, today) -> KpiTable:
        """The KPI table of a period, built once: the table and a scorecard of the same
        period share it (building one is ~20 ms on 50 managers even when cached stats)."""
        key = (period, today)
        found = self.tables.get(key)
        if found is None:
            found = self.tables[key] = self.engine.table(period, today=today)
        return found


_records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_records_lock = threading.Lock()
_cache_lock = threading.Lock()


def records_version(app) -> tuple[int, ...]:
    """Changes only when records may have changed (a sync that pulled nothing keeps it):
    the KPI data is not rebuilt for nothing every sync interval."""
    return app.versions(*TABS)


def records_for(app) -> tuple[int, dict[str, list[dict]]]:
    """Every tab's records for the app's current data_version, read once and shared by the
    KPI, People and Standup screens. Safe to call from a worker thread."""
    with _records_lock:
        version = records_version(app)
        found = _records.get(app)
        if found is None or found[0] != version:
            found = (version, app.store.records_by_tab())
            _records[app] = found
        return found


def cached_records(app) -> dict[str, list[dict]] | None:
    """The records of the app's current data_version, if they are read already."""
    found = _records.get(app)
    return found[1] if found is not None and found[0] == records_version(app) else None


def cached_kpi_data(app) -> KpiData | None:
    """The KPI data of the app's current data_version, if it is built already."""
    data = _cache.get(app)
    return data if data is not None and data.version == records_version(app) else None


def kpi_data(app) -> KpiData:
    """The KPI data of the app's current data_version; builds it (about 1 s on the large
    demo) when missing. Safe to call from a worker thread."""
    with _cache_lock:
        data = _cache.get(app)
        if data is None or data.version != records_version(app):
            version, records = records_for(app)
            engine = KpiEngine(records, app.rules.default_targets)
            data = KpiData(
                version, records, engine,
                projects={r["id"]: r for r in records.get("projects", [])},
                feedback={r["id"]: r for r in records.get("feedback", [])},
                managers={r["id"]: r for r in records.get("managers", [])},
            )
            _cache[app] = data
        return data


# -- presentation helpers (shared by the scorecard and the review form) -------------------------


_styles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def theme_colour(app, name: str) -> str | None:
    """A theme variable as a Rich colour; None when it is not a plain colour (``auto 60%``)."""
    value = app.theme_variables.get(name)
    if not value:
        return None
    try:
        return Color.parse(value).hex
    except ColorParseError:
        return None


def status_style(app, status: str) -> str:
    """Rich style for a KPI status, from the theme's variables (so themes recolour it).
    Resolved once per theme: parsing colours for every cell is slow."""
    theme = getattr(app, "theme", "")
    found = _styles.get(app)
    if found is None or found[0] != theme:
        muted = theme_colour(app, "text-muted") or "dim"
        styles = {STATUS_NO_DATA: muted, STATUS_NO_TARGET: muted}
        for key, variable in ((STATUS_ON, "text-success"), (STATUS_RISK, "text-warning"),
                              (STATUS_OFF, "text-error")):
            colour = theme_colour(app, variable)
            styles[key] = (f"bold {colour}" if colour else "bold") if key == STATUS_OFF \
                else (colour or "")
        found = (theme, styles)
        _styles[app] = found
    return found[1].get(status, found[1][STATUS_NO_DATA])


def cell(text: str, style: str = "", *, right: bool = False) -> Text:
    """A one-line table cell. Not wrapping is a quarter cheaper to draw, which counts on a
    table of 600 cells redrawn at every period step."""
    return Text(text, style=style, justify="right" if right else "left", no_wrap=True,
                overflow="ellipsis")


def kpi_cell(app, kpi: KpiValue) -> Text:
    style = status_style(app, kpi.status)
    return cell("—" if kpi.value is None else kpi.display, style, right=True)


def target_text(kpi: KpiValue) -> str:
    """What the value is judged against: ``≥ 90%``, ``≤ 24 h``, ``≤ 0 (risk ≤ 2)``."""
    if kpi.key in BACKLOG_LIMITS:
        ok, risky = BACKLOG_LIMITS[kpi.key]
        return f"≤ {ok} (risk ≤ {risky})"
    if kpi.target is None:
        return "no target"
    shown = format_value(kpi.key, kpi.target)
    if kpi.key == "csat":
        shown = f"{kpi.target:.1f}"
    return f"≤ {shown}" if kpi.key in LOWER_IS_BETTER else f"≥ {shown}"


def judged_text(kpi: KpiValue) -> str:
    """``target ≥ 4.2`` (or the backlog limits), or ``no target set``."""
    if kpi.target is None and kpi.key not in BACKLOG_LIMITS:
        return "no target set"
    return f"target {target_text(kpi)}"


def compact_value(key: str, value: float | None) -> str:
    """A value in at most 7 characters, for chart labels: ``¥1.02M``, ``¥687k``, ``85%``."""
    if value is None:
        return "—"
    if key == "revenue" and abs(value) >= 1_000_000:
        return f"¥{value / 1_000_000:.2f}M"
    if key == "revenue" and abs(value) >= 10_000:
        return f"¥{value / 1000:.0f}k"
    return format_value(key, value, count=None)


def mini_trend(values: list[float | None]) -> str:
    """A one-line trend: one bar per period, a gap where there was no data."""
    present = [v for v in values if v is not None]
    if not present:
        return "·" * len(values)
    low, high = min(present), max(present)
    span = high - low
    bars = []
    for v in values:
        if v is None:
            bars.append("·")
        elif span == 0:
            bars.append(TREND_BARS[3])
        else:
            bars.append(TREND_BARS[round((v - low) / span * (len(TREND_BARS) - 1))])
    return "".join(bars)


def trend_labels(kpi: KpiValue, periods: list[Period], width: int = CHART_STEP) -> str:
    """Two lines under a sparkline of ``width`` cells a period: period names, then values."""
    names, values = [], []
    for period, value in zip(periods, kpi.trend, strict=False):
        names.append((period.label.split(" ")[0] if period.kind == MONTH
                      else f"Q{period.number} {period.year % 100:02d}").center(width))
        values.append(compact_value(kpi.key, value)[:width].center(width))
    return "".join(names).rstrip() + "\n" + "".join(values).rstrip()


def sparkline_data(values: list[float | None], width: int = CHART_STEP) -> list[float]:
    """Each period repeated ``width`` times, so its bar lines up with its label. The widget
    needs numbers: a period without data is drawn as 0 and labelled "—"."""
    return [v if v is not None else 0.0 for v in values for _ in range(width)]


def status_summary(row: ManagerKpis) -> str:
    off, risk, on = row.count(STATUS_OFF), row.count(STATUS_RISK), row.count(STATUS_ON)
    return f"{off} off track · {risk} at risk · {on} on track"


# -- lists whose enter key says what it does -------------------------------------------------


def enter_does(base: type, description: str, binding_id: str) -> type:
    """``base`` (a DataTable or OptionList) whose enter key is labelled for this place, so
    the key bar and the ? help say "enter Scorecard" rather than "enter Select"."""
    action = "select_cursor" if issubclass(base, DataTable) else "select"
    binding = Binding("enter", action, description, id=binding_id)
    return type(base.__name__, (base,), {"BINDINGS": [binding], "__module__": __name__,
                                         "__doc__": f"{base.__name__}: enter = {description}"})


KpiGrid = enter_does(DataTable, "Scorecard", "kpis.open_scorecard")


# -- sorting ------------------------------------------------------------------------------------


def sort_rows(rows: list[ManagerKpis], key: str, reverse: bool) -> list[ManagerKpis]:
    """Rows ordered by ``key``: "name", "status" (most off target first) or a KPI key.

    A KPI sorts worst first (lowest CSAT, most overdue...); ``reverse`` flips that. Rows
    without data stay at the bottom either way."""
    by_name = sorted(rows, key=lambda r: (norm(r.manager_name), r.manager_id or ""))
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


class KpisScreen(DataScreen):
    """Managers (rows) by KPIs (columns) for the selected month or quarter."""

    # The scorecard's and the review form's styles load with this screen, so opening the
    # form does not re-parse the app's stylesheet (about 60 ms each time).
    CSS_PATH = ["kpis.tcss", "scorecard.tcss", "review_form.tcss"]
    BINDINGS = [
        Binding("left_square_bracket", "prev_period", "Prev period", id="kpis.prev_period"),
        Binding("right_square_bracket", "next_period", "Next period", id="kpis.next_period"),
        Binding("p", "toggle_period", "Month/quarter", id="kpis.toggle_period"),
        Binding("t", "this_period", "This period", id="kpis.this_period"),
        Binding("s", "sort", "Sort by column", id="kpis.sort"),
        Binding("e", "export", "Export", id="kpis.export",
                tooltip="Export the table as CSV and Markdown, and the report as HTML"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period: Period | None = None
        self.table: KpiTable | None = None
        self.sort_key = "name"
        self.sort_reverse = False
        self.shown_rows: list[ManagerKpis] = []
        self.trend_key = "csat"  # KPI of the sparkline when the cursor is on a name
        self._left: set[str] = set()
        self._headers: tuple[str, bool] | None = None  # the sort shown in the column headers

    def compose(self) -> ComposeResult:
        from amtui.ui.screens.scorecard import Scorecard

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
        self.watch(self.app, "theme", self._theme_changed, init=False)

    @property
    def scorecard(self):
        from amtui.ui.screens.scorecard import Scorecard

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

    def _theme_changed(self, _theme: str) -> None:
        if self.table is not None:
            self._fill_table()
        if self.showing_scorecard:
            self.scorecard.show()

    # -- loading ---------------------------------------------------------------------------

    def refresh_table(self) -> None:
        """Show the table for ``self.period``: at once when the data is built, else after a
        worker builds it (the large demo takes about a second)."""
        data = cached_kpi_data(self.app)
        if data is None:
            self.query_one("#kpis-note", Static).update("Computing KPIs…")
            self._load()
            return
        self.table = data.table(self.period, self.app.today)
        # managers who left still show while they have data in the period: say so
        self._left = {mid for mid, m in data.managers.items() if norm(m.get("status")) == "left"}
        self._fill_table()

    @work(thread=True, exclusive=True, group="kpis-load")
    def _load(self) -> None:
        kpi_data(self.app)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.refresh_table)

    # -- drawing ---------------------------------------------------------------------------

    def _fill_table(self) -> None:
        table = self.table
        assert table is not None and self.period is not None
        grid = self.query_one("#kpi-table", DataTable)
        keep_row, keep_col = self._cursor_row_key(), grid.cursor_coordinate.column
        self.shown_rows = sort_rows(table.rows, self.sort_key, self.sort_reverse)

        headers = (self.sort_key, self.sort_reverse)
        if headers != self._headers or not grid.columns:
            grid.clear(columns=True)
            grid.add_column(self._header("Manager", "name"), key="name")
            for key in TABLE_KPIS:
                grid.add_column(self._header(SHORT_LABELS[key], key), key=key)
            self._headers = headers
        else:
            # same columns: keeping them keeps their widths, so the table is drawn once
            # per period step instead of twice (every cell of ~50 rows, 10 KPIs)
            grid.clear()
        for row in self.shown_rows:
            name = cell(row.manager_name)
            if row.manager_id in self._left:
                name.append(" (left)", "dim")
            cells = [name]
            cells += [kpi_cell(self.app, row.kpis[k]) for k in TABLE_KPIS]
            grid.add_row(*cells, key=row.manager_id)
        team = [cell("Team", "bold")]
        team += [kpi_cell(self.app, table.team.kpis[k]) for k in TABLE_KPIS]
        grid.add_row(*team, key=TEAM_ROW)

        row_index = 0
        if keep_row is not None:
            keys = [r.manager_id for r in self.shown_rows] + [TEAM_ROW]
            row_index = keys.index(keep_row) if keep_row in keys else 0
        grid.cursor_coordinate = Coordinate(row_index, min(keep_col, len(TABLE_KPIS)))

        self._update_title()
        self._update_detail()

    def _header(self, label: str, key: str) -> Text:
        if key == self.sort_key or (key == "name" and self.sort_key == "status"):
            arrow = "↑" if self.sort_reverse else "↓"
            if self.sort_key == "status":
                label = "Manager (most off target)"
            return Text(f"{label} {arrow}", style="bold")
        return Text(label)

    def _update_title(self) -> None:
        table, period = self.table, self.period
        assert table is not None and period is not None
        kind = "month" if period.kind == MONTH else "quarter"
        current = " (current)" if period.is_current(self.app.today) else ""
        title = Text.assemble(
            ("KPIs ", "bold"), (f"{period.label}", "bold"), f" {kind}{current}  ",
            (f"{period.start:%d %b} – {period.end:%d %b %Y}", ""),
            f"  ·  {len(table.rows)} managers  ·  backlog as of "
            f"{table.reference_date.isoformat()}",
        )
        # fixed-size lines: no layout pass needed when their text changes
        self.query_one("#kpis-title", Static).update(title, layout=False)
        legend = Text.assemble(
            ("on track", status_style(self.app, STATUS_ON)), "  ",
            ("at risk", status_style(self.app, STATUS_RISK)), "  ",
            ("off track", status_style(self.app, STATUS_OFF)), "  ",
            ("— no data", status_style(self.app, STATUS_NO_DATA)), "   ",
        )
        left_out = {tab: n for tab, n in table.unassigned.items() if n}
        if left_out:
            parts = ", ".join(f"{n} {tab}" for tab, n in left_out.items())
            legend.append(f"left out (unknown manager): {parts}",
                          style=status_style(self.app, STATUS_RISK))
        else:
            legend.append("[ ] period · p month/quarter · s sort · enter scorecard · e export",
                          style=status_style(self.app, STATUS_NO_DATA))
        self.query_one("#kpis-note", Static).update(legend, layout=False)

    def _cursor_row_key(self) -> str | None:
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
        key = self._cursor_row_key()
        row = self.table.team if key == TEAM_ROW else self.table.row(key) if key else None
        column = grid.cursor_coordinate.column
        kpi = TABLE_KPIS[column - 1] if 1 <= column <= len(TABLE_KPIS) else None
        return row, kpi

    def _update_detail(self) -> None:
        row, key = self.highlighted()
        focus = self.query_one("#kpi-focus", Static)
        if row is None or self.table is None:
            focus.update("", layout=False)
            return
        if key is not None:
            self.trend_key = key
        kpi = row.kpis[self.trend_key]
        style = status_style(self.app, kpi.status)
        shown = "no data" if kpi.value is None else kpi.display
        behind = (f"{len(kpi.evidence)} record(s) behind this number: enter for the scorecard"
                  if kpi.evidence else "enter: scorecard with the evidence")
        focus.update(Text.assemble(
            (row.manager_name, "bold"), "\n",
            (f"{kpi.label} {shown}", style), f"  {judged_text(kpi)}  ",
            (kpi.status, style), "\n",
            status_summary(row), "\n",
            (behind, status_style(self.app, STATUS_NO_DATA)),
        ), layout=False)
        kind = "months" if self.table.period.kind == MONTH else "quarters"
        self.query_one("#kpi-trend-title", Static).update(
            f"{kpi.label}, last {len(kpi.trend)} {kind}", layout=False)
        self.query_one("#kpi-trend", Sparkline).data = sparkline_data(kpi.trend)
        self.query_one("#kpi-trend-labels", Static).update(
            trend_labels(kpi, self.table.trend_periods), layout=False)
        self.show_team_chart(self.trend_key)

    def show_team_chart(self, key: str) -> None:
        """The team's trend of the highlighted column against the team target."""
        data = cached_kpi_data(self.app)
        if data is None or self.period is None:
            return
        label = KPI_LABELS.get(key, key)
        show_kpi_trend(self.query_one("#kpi-team-trend", TrendChart),
                       data, self.period, None, key, f"Team {label}")

    @on(DataTable.CellHighlighted, "#kpi-table")
    def _cell_highlighted(self, _event: DataTable.CellHighlighted) -> None:
        self._update_detail()

    @on(DataTable.CellSelected, "#kpi-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open_scorecard()

    @on(DataTable.HeaderSelected, "#kpi-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self._cycle_sort(str(event.column_key.value))

    # -- actions ---------------------------------------------------------------------------

    def _step(self, period: Period) -> None:
        self.period = period
        self.refresh_table()

    @guarded
    def action_prev_period(self) -> None:
        if self.period is not None:
            self._step(self.period.prev())

    @guarded
    def action_next_period(self) -> None:
        if self.period is not None:
            self._step(self.period.next())

    @guarded
    def action_toggle_period(self) -> None:
        if self.period is not None:
            self._step(self.period.toggled(self.app.today))

    @guarded
    def action_this_period(self) -> None:
        if self.period is not None:
            self._step(Period.of(self.period.kind, self.app.today))

    @guarded
    def action_sort(self) -> None:
        column = self.query_one("#kpi-table", DataTable).cursor_coordinate.column
        self._cycle_sort("name" if column == 0 else TABLE_KPIS[column - 1])

    def _cycle_sort(self, column: str) -> None:
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
            self._fill_table()
            self.notify(self._sort_description(), timeout=2)

    def _sort_description(self) -> str:
        if self.sort_key == "name":
            return "Sorted by name"
        if self.sort_key == "status":
            return "Sorted by most KPIs off target"
        order = "best first" if self.sort_reverse else "worst first"
        return f"Sorted by {KPI_LABELS[self.sort_key]}, {order}"

    @guarded
    def action_open_scorecard(self) -> None:
        row, key = self.highlighted()
        if row is None or self.period is None:
            return
        self.open_scorecard(row.manager_id, self.period, kpi=key)

    def open_scorecard(self, manager_id: str | None, period: Period, *,
                       kpi: str | None = None) -> None:
        """Show a manager's scorecard (``None``: the team's) in place of the table."""
        self.query_one("#kpi-switcher", ContentSwitcher).current = "scorecard"
        self.scorecard.open(manager_id, period, kpi=kpi)
        self.refresh_bindings()

    def on_scorecard_closed(self, message) -> None:
        """Escape on the scorecard (``Scorecard.Closed``): back to the table."""
        message.stop()
        self.query_one("#kpi-switcher", ContentSwitcher).current = "kpi-view"
        self.refresh_bindings()
        if message.period != self.period:  # the table follows the scorecard's period
            self._step(message.period)
        self.query_one("#kpi-table", DataTable).focus()

    @guarded
    def action_export(self) -> None:
        if self.table is None or self.period is None:
            return
        folder = Path(self.app.workspace.config.folder) / "reports"
        try:
            csv_path, md_path = export_table(self.table, self.shown_rows, folder)
        except OSError as err:
            self.notify(f"Could not write the report: {err}", severity="error")
            return
        self.notify(f"KPIs for {self.period.label} written to {csv_path} and {md_path.name}",
                    title="Exported", timeout=8)
        export_html_report(self, self.period)  # and the report with charts, as HTML


# -- export ---------------------------------------------------------------------------------------


def export_table(table: KpiTable, rows: list[ManagerKpis], folder: Path) -> tuple[Path, Path]:
    """Write the table (in the on-screen order, team last) as CSV and Markdown."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"kpis-{table.period}"
    csv_path, md_path = folder / f"{stem}.csv", folder / f"{stem}.md"
    everyone = [*rows, table.team]

    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        header = ["Manager"]
        for key in TABLE_KPIS:
            header += [KPI_LABELS[key], f"{KPI_LABELS[key]} target", f"{KPI_LABELS[key]} status"]
        writer.writerow(header)
        for row in everyone:
            line = [row.manager_name]
            for key in TABLE_KPIS:
                kpi = row.kpis[key]
                line += [kpi.display, target_text(kpi), kpi.status]
            writer.writerow(line)

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        f"# KPIs {table.period.label}",
        "",
        f"{table.period.start} to {table.period.end}; backlog as of {table.reference_date}. "
        "✓ on track, ! at risk, ✗ off track (against each manager's target).",
        "",
        "| Manager | " + " | ".join(KPI_LABELS[k] for k in TABLE_KPIS) + " |",
        "|---|" + "---:|" * len(TABLE_KPIS),
    ]
    for row in everyone:
        name = f"**{row.manager_name}**" if row is table.team else row.manager_name
        cells = []
        for key in TABLE_KPIS:
            kpi = row.kpis[key]
            mark = STATUS_MARK.get(kpi.status, "")
            cells.append(cell(f"{kpi.display} {mark}".strip()))
        lines.append(f"| {cell(name)} | " + " | ".join(cells) + " |")
    md_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv_path, md_path
