"""Charts drawn with textual-plotext in the theme's colours: a KPI's trend against its
target, and the board's cumulative flow and throughput (``FlowScreen``, key ``f`` on the
board). Titles and legends are Textual text above the plot, so Chinese names keep their
two cells per character; the data comes from :mod:`amtui.services.charts`.

    chart = TrendChart(id="sc-trend")          # in compose
    chart.show(trend, "CSAT · 王芳")            # a services.charts.Trend
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import get_current_worker
from textual_plotext import PlotextPlot

from amtui.domain import i18n, schema
from amtui.domain.i18n import N_, _
from amtui.services.charts import Flow, Trend, board_flow

FALLBACK = {"primary": (61, 139, 253), "error": (229, 83, 75), "success": (63, 185, 80),
            "warning": (232, 179, 57), "accent": (242, 165, 65), "secondary": (124, 108, 242),
            "foreground": (215, 220, 226)}
STAGE_VARIABLES = ("foreground", "secondary", "primary", "accent", "success", "warning",
                   "error")


def theme_rgb(app, name: str) -> tuple[int, int, int]:
    """A theme colour as the (r, g, b) plotext wants."""
    value = app.theme_variables.get(name)
    try:
        return Color.parse(value).rgb if value else FALLBACK[name]
    except ColorParseError:
        return FALLBACK.get(name, (128, 128, 128))


def scaled(key: str, values: list[float | None]) -> tuple[list[float | None], str]:
    """Money in thousands (axis labels stay short)."""
    if key == "revenue":
        return [v / 1000 if v is not None else None for v in values], " (¥k)"
    return values, ""


def draw_trend(plot: PlotextPlot, trend: Trend | None) -> None:
    """The trend as a line with points, the targets as a dashed-looking line."""
    plt = plot.plt
    plt.clear_figure()
    if trend is None:
        plot.refresh()
        return
    app = plot.app
    xs = list(range(1, len(trend.periods) + 1))
    values, _unit = scaled(trend.key, trend.values)
    targets, _unit = scaled(trend.key, trend.targets)
    # plotext has no gaps: each run of periods with data is its own line
    run: list[tuple[int, float]] = []
    for x, v in [*zip(xs, values, strict=True), (0, None)]:
        if v is None:
            if run:
                plt.plot([p[0] for p in run], [p[1] for p in run], marker="braille",
                         color=theme_rgb(app, "primary"))
                plt.scatter([p[0] for p in run], [p[1] for p in run], marker="●",
                            color=theme_rgb(app, "primary"))
            run = []
        else:
            run.append((x, v))
    points = [(x, t) for x, t in zip(xs, targets, strict=True) if t is not None]
    if points:
        plt.plot([p[0] for p in points], [p[1] for p in points], marker="·",
                 color=theme_rgb(app, "error"))
    plt.xticks(xs, trend.labels)
    plt.xlim(0.7, len(xs) + 0.3)
    plot.refresh()


class TrendChart(Vertical):
    """A heading (CJK-safe text) over a plotext chart of one KPI's trend and target."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="chart-heading")
        yield PlotextPlot(classes="chart-plot")

    def show(self, trend: Trend | None, heading: str = "") -> None:
        title = Content.assemble(
            (heading, "bold"),
            ("  " + _("● value"), "$primary"), ("  " + _("··· target"), "$error")) if trend else Content(heading)
        self.query_one(".chart-heading", Static).update(title)
        draw_trend(self.query_one(PlotextPlot), trend)


def flow_stages(flow: Flow) -> list[str]:
    """The stages the flow chart draws (those with any project), bottom first."""
    return [s for s, counts in flow.stages.items() if any(counts)]


def flow_legend(app, flow: Flow) -> list:
    """The stages' colours as ``Content.assemble`` parts (``■ 进行中  ■ 已交付 …``): Chinese
    names take two cells each, which plotext's own legend box does not know, so in Chinese
    the legend is drawn here, above the plot, by Textual."""
    parts: list = []
    for n, stage in enumerate(flow_stages(flow)):
        variable = STAGE_VARIABLES[n % len(STAGE_VARIABLES)]
        parts += [("  ■ ", f"${variable}"), (schema.shown(stage), "")]
    return parts


def draw_flow(flow_plot: PlotextPlot, throughput_plot: PlotextPlot, flow: Flow,
              legend: bool = True) -> None:
    app = flow_plot.app
    labels = flow.labels
    plt = flow_plot.plt
    plt.clear_figure()
    stages = flow_stages(flow)
    if stages:
        colours = [theme_rgb(app, STAGE_VARIABLES[n % len(STAGE_VARIABLES)])
                   for n, _s in enumerate(stages)]
        plt.stacked_bar(labels, [flow.stages[s] for s in stages],
                        labels=stages if legend else None, color=colours, width=0.6)
    plt.title(_("Projects per stage at the end of each week"))
    flow_plot.refresh()
    plt = throughput_plot.plt
    plt.clear_figure()
    plt.bar(labels, flow.delivered, color=theme_rgb(app, "success"), width=0.6)
    plt.title(_("Delivered per week"))
    throughput_plot.refresh()


class FlowScreen(ModalScreen[None]):
    """The board over the last 12 weeks: cumulative flow and throughput."""

    BINDINGS = [Binding("escape,f,q", "close", N_("Close"), id="flow.close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="flow-dialog"):
            yield Static(_("Board flow · last 12 weeks  (computing…)"), id="flow-title")
            yield PlotextPlot(id="flow-cfd")
            yield PlotextPlot(id="flow-throughput")
            yield Static(_("From the recorded stage changes and the projects' Start and "
                           "Delivered dates · escape closes"), id="flow-note")

    def on_mount(self) -> None:
        self.load_flow()

    @work(thread=True, exclusive=True, group="board-flow")
    def load_flow(self) -> None:
        app = self.app
        try:
            projects = list(app.records.get("projects").values())
            events = app.store.events(tab="projects")
        finally:
            app.store.close()  # this thread's connection
        flow = board_flow(projects, events, app.today, tuple(app.rules.stages))
        app.call_from_thread(self.show_flow, flow)

    def show_flow(self, flow: Flow) -> None:
        self.flow_data = flow
        total = sum(flow.delivered)
        # plotext counts one cell per character: Chinese stage names go in a legend here
        legend_here = i18n.is_chinese()
        self.query_one("#flow-title", Static).update(Content.assemble(
            (_("Board flow"), "bold"),
            " · " + _("weeks of {first} to {last}").format(first=flow.labels[0],
                                                           last=flow.labels[-1])
            + " · " + _("{n} delivered").format(n=total),
            *(flow_legend(self.app, flow) if legend_here else ())))
        draw_flow(self.query_one("#flow-cfd", PlotextPlot),
                  self.query_one("#flow-throughput", PlotextPlot), flow,
                  legend=not legend_here)

    def action_close(self) -> None:
        self.dismiss(None)


INLINE_RECORDS = 3000  # below this many records a trend is computed at once


def show_kpi_trend(chart: TrendChart, data, period, manager_id: str | None, key: str,
                   heading: str) -> None:
    """Draw a KPI's trend (``services.charts.kpi_trends`` over ``data``, the screens'
    ``KpiData``). The earlier periods' tables may not be built yet: ~0.5 s for six on the
    large demo, so big workspaces compute them in a thread; small ones draw at once
    (the same frame, so what a snapshot shows does not depend on a thread's timing)."""
    from amtui.services.charts import kpi_trends

    app = chart.app
    today = app.today

    def trend():
        return kpi_trends(lambda p: data.table(p, today), period, manager_id,
                          keys=(key,))[key]

    if sum(len(rows) for rows in data.records.values()) < INLINE_RECORDS:
        chart.show(trend(), heading)
        return

    def compute() -> None:
        result = trend()
        if get_current_worker().is_cancelled:  # the cursor moved on: a newer one draws
            return
        try:
            app.call_from_thread(chart.show, result, heading)
        except RuntimeError:  # the app closed meanwhile
            pass

    chart.run_worker(compute, thread=True, exclusive=True, group="kpi-trend-chart",
                     exit_on_error=False)


def export_html_report(node, period) -> None:
    """Write the HTML report of ``period`` to the workspace's reports/ in a thread; the app
    says where (or what went wrong)."""
    from amtui.services.report import write_report

    app = node.app

    def write() -> None:
        try:
            path = write_report(app.workspace, period, "html")
        except Exception as err:  # noqa: BLE001 - shown to the person, the app goes on
            tell(app.report_error, err, N_("writing the report"))
            return
        finally:
            app.store.close()  # this thread's connection
        tell(app.notify, _("Report for {period} written to {path}").format(
            period=period.label, path=path), title=_("Report"), timeout=10)

    def tell(callback, *args, **kwargs) -> None:
        try:
            app.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:  # the app closed meanwhile: nobody to tell
            pass

    node.run_worker(write, thread=True, group="html-report", exit_on_error=False)
