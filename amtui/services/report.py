"""The period report for people who never open a terminal: KPIs, KPI trends against
target, the managers' load and projects on a timeline, and the board's flow.

    path = write_report(workspace, Period.parse("2026-Q4"), "html")    # reports/…html
    path = write_report(workspace, Period.parse("2026-Q4"), "xlsx")    # reports/…xlsx

HTML: one self-contained file, charts as inline SVG (no script, no web font, no CDN).
xlsx: one sheet per section with native Excel charts (openpyxl LineChart/BarChart).
The KPI figures come from ``KpiEngine.table`` with the config's default targets — the same
call as ``amtui kpi`` — so the report and ``amtui kpi --format json`` always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path

from amtui.domain import timeline as tl
from amtui.domain.i18n import N_, _, date_text, is_chinese, ngettext
from amtui.domain.kpi import KPI_COLUMNS, KpiEngine, KpiTable, kpi_columns, status_text
from amtui.domain.period import MONTH, Period
from amtui.domain.schema import shown
from amtui.services.charts import (
    Flow,
    Load,
    Trend,
    board_flow,
    kpi_trends,
    manager_load,
)

SECTIONS = (N_("KPIs"), N_("KPI trends"), N_("Timeline"), N_("Board flow"))
# KPIs drawn as trend charts (the counts of ratings and the backlog are in the table)
TREND_KEYS = ("csat", "on_time", "completion", "revenue", "response_hours",
              "response_within", "overdue", "training_hours")
GANTT_ROWS = 200  # projects drawn in the report's timeline; the rest are counted
PALETTE = {"primary": "#3D8BFD", "error": "#E5534B", "success": "#3FB950",
           "warning": "#E8B339", "accent": "#F2A541", "muted": "#8B949E", "grid": "#D0D7DE"}
STAGE_COLOURS = ("#8B949E", "#7C6CF2", "#3D8BFD", "#F2A541", "#3FB950", "#E8B339", "#E5534B")


@dataclass
class Report:
    period: Period
    today: date
    title: str
    table: KpiTable
    trends: dict[str, Trend]
    load: Load
    projects: list[dict]  # running in the period, by manager then start
    flow: Flow
    stages: tuple[str, ...]


def build_report(workspace, period: Period) -> Report:
    store = workspace.store
    today = workspace.today()
    records = store.records_by_tab()
    engine = KpiEngine(records, workspace.config.rules.default_targets,
                       money=getattr(workspace.config, "money", "full") or "full")
    table = engine.table(period, today=today)
    trends = kpi_trends(lambda p: engine.table(p, today=today), period, None, keys=TREND_KEYS)
    projects = records.get("projects", [])
    stages = tuple(workspace.config.rules.stages)
    flow = board_flow(projects, store.events(tab="projects"), min(period.end, today), stages)
    running = []
    for group in tl.group_projects(projects, today):
        for span, record in zip(group.spans, group.records, strict=True):
            if span.running(period.start, period.end, today):
                running.append(record)
    return Report(period, today, workspace.config.name, table, trends,
                  manager_load(projects, period, today), running, flow, stages)


def report_path(folder: Path, period: Period, fmt: str) -> Path:
    return Path(folder) / f"report-{period}.{fmt}"


def write_report(workspace, period: Period, fmt: str, folder: Path | None = None) -> Path:
    """Write the report as ``html`` or ``xlsx`` into ``folder`` (default: the workspace's
    ``reports/``); returns its path."""
    if fmt not in ("html", "xlsx"):
        raise ValueError(_("unknown report format {format} (html or xlsx)").format(
            format=repr(fmt)))
    report = build_report(workspace, period)
    folder = Path(folder) if folder else Path(workspace.config.folder) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = report_path(folder, period, fmt)
    if fmt == "html":
        path.write_text(render_html(report), encoding="utf-8")
    else:
        write_xlsx(report, path)
    return path


# -- SVG ----------------------------------------------------------------------------------


def text(words: str) -> str:
    """A text node of the HTML: ``<`` and ``&`` escaped, quotes kept as they are."""
    return escape(words, quote=False)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _scale(values: list[float], height: float, pad: float = 0.1) -> tuple[float, float]:
    low, high = min(values + [0.0]), max(values + [1.0])
    return low, high + (high - low) * pad


def svg_lines(labels: list[str], series: list[tuple[str, list[float | None], str, bool]],
              *, title: str, width: int = 360, height: int = 180) -> str:
    """A line chart: ``series`` of (name, values, colour, dashed); None leaves a gap."""
    left, right, top, bottom = 44, 24, 24, 28
    w, h = width - left - right, height - top - bottom
    present = [v for _n, vals, _c, _d in series for v in vals if v is not None]
    low, high = _scale(present or [0.0], h)
    span = (high - low) or 1.0
    step = w / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top + h - (v - low) / span * h

    parts = [f'<svg class="chart line-chart" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
             f'<title>{escape(title)}</title>',
             f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>']
    for frac in (0, 0.5, 1):
        value = low + span * frac
        y = top + h - frac * h
        parts.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{PALETTE["grid"]}" stroke-width="0.5"/>'
                     f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" '
                     f'class="tick">{_num(value)}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'class="tick">{escape(label)}</text>')
    for name, values, colour, dashed in series:
        run: list[str] = []
        runs = []
        for i, v in enumerate(values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            x, y = xy(i, v)
            run.append(f"{x:.1f},{y:.1f}")
        if run:
            runs.append(run)
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        for points in runs:
            parts.append(f'<polyline class="series" data-series="{escape(name)}" fill="none" '
                         f'stroke="{colour}" stroke-width="2"{dash} '
                         f'points="{" ".join(points)}"/>')
            if not dashed:
                for point in points:
                    x, y = point.split(",")
                    parts.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)


def svg_bars(labels: list[str], values: list[float], *, title: str, colour: str,
             width: int = 560, height: int = 180, limit: float | None = None) -> str:
    """Vertical bars; bars above ``limit`` in the error colour."""
    left, right, top, bottom = 36, 10, 24, 28
    w, h = width - left - right, height - top - bottom
    high = max(values + [1.0])
    slot = w / max(len(values), 1)
    parts = [f'<svg class="chart bar-chart" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
             f'<title>{escape(title)}</title>',
             f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="tick">'
             f'{_num(high)}</text>',
             f'<line x1="{left}" x2="{left + w}" y1="{top + h}" y2="{top + h}" '
             f'stroke="{PALETTE["grid"]}"/>']
    every = max(1, len(labels) // 8)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_h = value / high * h
        fill = PALETTE["error"] if limit is not None and value > limit else colour
        x = left + i * slot + slot * 0.15
        parts.append(f'<rect class="bar" data-label="{escape(label)}" data-value="{_num(value)}" '
                     f'x="{x:.1f}" y="{top + h - bar_h:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{fill}"><title>{escape(label)}: '
                     f'{_num(value)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" '
                         f'text-anchor="middle" class="tick">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_stacked(labels: list[str], layers: dict[str, list[int]], *, title: str,
                width: int = 560, height: int = 220) -> str:
    """A stacked area chart (the cumulative flow), first layer at the bottom."""
    left, right, top, bottom = 36, 130, 24, 28
    w, h = width - left - right, height - top - bottom
    totals = [sum(col) for col in zip(*layers.values(), strict=True)] or [0]
    high = max(totals + [1])
    step = w / max(len(labels) - 1, 1)
    parts = [f'<svg class="chart flow-chart" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
             f'<title>{escape(title)}</title>',
             f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="tick">{high}</text>']
    base = [0] * len(labels)
    for n, (stage, counts) in enumerate(layers.items()):
        upper = [b + c for b, c in zip(base, counts, strict=True)]
        pts = [f"{left + i * step:.1f},{top + h - u / high * h:.1f}" for i, u in enumerate(upper)]
        pts += [f"{left + i * step:.1f},{top + h - b / high * h:.1f}"
                for i, b in reversed(list(enumerate(base)))]
        colour = STAGE_COLOURS[n % len(STAGE_COLOURS)]
        parts.append(f'<polygon class="layer" data-stage="{escape(stage)}" fill="{colour}" '
                     f'fill-opacity="0.8" points="{" ".join(pts)}"/>')
        parts.append(f'<rect x="{left + w + 10}" y="{top + n * 16}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{left + w + 24}" y="{top + n * 16 + 9}" '
                     f'class="tick">{escape(shown(stage))}</text>')
        base = upper
    every = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(f'<text x="{left + i * step:.1f}" y="{height - 10}" '
                         f'text-anchor="middle" class="tick">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_gantt(report: Report, rows: list[dict]) -> str:
    """Projects running in the period as bars from Start to Due (late tails in red,
    delivered marked, today as a line)."""
    period, today = report.period, report.today
    label_w, width, row_h, top = 260, 900, 16, 30
    days = (period.end - period.start).days + 1
    w = width - label_w - 10
    height = top + row_h * len(rows) + 10

    def x(day: date) -> float:
        offset = min(max((day - period.start).days, 0), days)
        return label_w + offset / days * w

    parts = [f'<svg class="chart gantt" xmlns="http://www.w3.org/2000/svg" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
             f'<title>{escape(_("Projects in {period}").format(period=period.label))}</title>']
    for month in period.months() if period.kind != MONTH else [period]:
        parts.append(f'<line x1="{x(month.start):.1f}" x2="{x(month.start):.1f}" y1="{top - 6}" '
                     f'y2="{height}" stroke="{PALETTE["grid"]}"/><text x="{x(month.start) + 3:.1f}"'
                     f' y="{top - 10}" class="tick">{escape(month.label)}</text>')
    if period.start <= today <= period.end:
        parts.append(f'<line class="today" x1="{x(today):.1f}" x2="{x(today):.1f}" y1="{top - 6}" '
                     f'y2="{height}" stroke="{PALETTE["accent"]}" stroke-width="2"/>')
    for n, record in enumerate(rows):
        span = tl.project_span(record, today)
        y = top + n * row_h
        name = f"{record.get('manager', '')} · {record.get('project') or record['id']}"
        # cut by terminal cells: a CJK character is as wide as two Latin ones here too
        label = tl.fit(name, 42).rstrip()
        parts.append(f'<text x="4" y="{y + 11}" class="tick">{escape(label)}</text>')
        first, due = span.first, span.due or span.delivered
        colour = {"blocked": PALETTE["error"], "at risk": PALETTE["warning"]}.get(
            span.health, PALETTE["primary"])
        if first and due:
            parts.append(f'<rect class="bar" data-project="{escape(record["id"])}" '
                         f'x="{x(first):.1f}" y="{y + 3}" width="{max(x(due) - x(first), 2):.1f}"'
                         f' height="{row_h - 6}" fill="{colour}"/>')
        end = span.delivered if span.delivered and span.due and span.delivered > span.due \
            else (today if span.overdue else None)
        if end and span.due:
            parts.append(f'<rect class="late" x="{x(span.due):.1f}" y="{y + 3}" '
                         f'width="{max(x(end) - x(span.due), 1):.1f}" height="{row_h - 6}" '
                         f'fill="{PALETTE["error"]}"/>')
        if span.delivered and period.start <= span.delivered <= period.end:
            parts.append(f'<text x="{x(span.delivered) - 4:.1f}" y="{y + 12}" '
                         f'fill="{PALETTE["success"]}">✓</text>')
    parts.append("</svg>")
    return "".join(parts)


# -- HTML ---------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem;color:#1f2328}
h1{margin-bottom:0}.sub{color:#656d76;margin-top:.2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
.on-track{color:#1a7f37}.at-risk{color:#9a6700}.off-track{color:#cf222e;font-weight:bold}
.no-data,.no-target{color:#8c959f}tr.team td{font-weight:bold;border-top:2px solid #1f2328}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
.chart-title{font-size:12px;font-weight:bold}.tick{font-size:10px;fill:#57606a}
section{margin-bottom:2rem}
"""


def _status_class(status: str) -> str:
    return status.replace(" ", "-")


def render_html(report: Report) -> str:
    period, table = report.period, report.table
    kind = _("month") if period.kind == MONTH else _("quarter")
    lang = "zh-CN" if is_chinese() else "en"
    out = ["<!DOCTYPE html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
           "<title>" + escape(_("{title} — report {period}").format(
               title=report.title, period=period.label)) + "</title>",
           f"<style>{CSS}</style></head><body>",
           f"<h1>{escape(report.title)}: {escape(period.label)}"
           + ("" if is_chinese() else f" {kind}") + "</h1>",
           '<p class="sub">' + text(_("{start} to {end} · backlog as of {day} · written "
                                        "{today} by amtui").format(
               start=date_text(period.start), end=date_text(period.end),
               day=date_text(table.reference_date), today=date_text(report.today)))
           + "</p>"]

    # KPIs
    out.append(f'<section id="kpis"><h2>{text(_("KPIs"))}</h2><table class="kpis"><thead>'
               f"<tr><th>{text(_('Manager'))}</th>")
    out += [f'<th data-kpi="{k}">{escape(label)}</th>' for k, label in kpi_columns()]
    out.append("</tr></thead><tbody>")
    for row in [*table.rows, table.team]:
        team = row is table.team
        manager = row.manager_id or "team"
        out.append(f'<tr data-manager="{escape(manager)}"' + (' class="team"' if team else "")
                   + f"><td>{escape(row.manager_name)}</td>")
        for key, _label in KPI_COLUMNS:
            kpi = row.kpis[key]
            value = "" if kpi.value is None else repr(kpi.value)
            out.append(f'<td class="{_status_class(kpi.status)}" data-kpi="{key}" '
                       f'data-value="{value}" title="{text(status_text(kpi.status))}">'
                       f"{escape(kpi.display)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    out.append('<p class="sub">' + text(_("Colours:")) + ' <span class="on-track">'
               + text(status_text("on track")) + '</span>' + text(_(", "))
               + '<span class="at-risk">' + text(status_text("at risk")) + "</span>"
               + text(_(", ")) + '<span class="off-track">' + text(status_text("off track"))
               + "</span> " + text(_("against each manager's target.")) + "</p></section>")

    # trends
    n = len(next(iter(report.trends.values())).periods)
    last = (ngettext("The team, last {n} month; dashed: target",
                     "The team, last {n} months; dashed: target", n) if period.kind == MONTH
            else ngettext("The team, last {n} quarter; dashed: target",
                          "The team, last {n} quarters; dashed: target", n))
    out.append(f'<section id="kpi-trends"><h2>{text(_("KPI trends"))}</h2><p class="sub">'
               + text(last.format(n=n)) + '</p><div class="charts">')
    for trend in report.trends.values():
        series = [(trend.label, trend.values, PALETTE["primary"], False)]
        if any(t is not None for t in trend.targets):
            series.append((_("target"), trend.targets, PALETTE["error"], True))
        out.append(f'<figure data-kpi="{trend.key}">' + svg_lines(
            trend.labels, series, title=trend.label) + "</figure>")
    out.append("</div></section>")

    # timeline
    out.append(f'<section id="timeline"><h2>{text(_("Timeline"))}</h2><p class="sub">'
               + text(_("Projects running per manager per week (more than {n} is "
                          "over-allocated)").format(n=tl.OVERLOAD)) + "</p>")
    out.append(f"<table class='load'><thead><tr><th>{text(_('Manager'))}</th>"
               + "".join(f"<th>{escape(label)}</th>" for label in report.load.labels)
               + "</tr></thead><tbody>")
    for manager, counts in report.load.managers.items():
        out.append(f"<tr><td>{escape(manager)}</td>" + "".join(
            f'<td class="{"off-track" if c > tl.OVERLOAD else ""}">{c}</td>' for c in counts)
            + "</tr>")
    out.append("</tbody></table>")
    team_load = [sum(col) for col in zip(*report.load.managers.values(), strict=True)] \
        if report.load.managers else [0] * len(report.load.weeks)
    out.append('<div class="charts">' + svg_bars(
        report.load.labels, team_load, title=_("Projects running per week (team)"),
        colour=PALETTE["primary"]) + "</div>")
    shown = report.projects[:GANTT_ROWS]
    out.append("<h3>" + escape(_("Projects in {period}").format(period=period.label))
               + '</h3><div class="charts">'
               + svg_gantt(report, shown) + "</div>")
    if len(report.projects) > len(shown):
        out.append('<p class="sub">' + text(_("… and {n} more projects (the xlsx lists "
                                                "them all)").format(
            n=len(report.projects) - len(shown))) + "</p>")
    out.append("</section>")

    # flow
    flow = report.flow
    out.append(f'<section id="board-flow"><h2>{text(_("Board flow"))}</h2><p class="sub">'
               + text(_("Projects per stage at the end of each week (from the recorded stage "
                          "changes and the projects' dates) and projects delivered per week"))
               + '</p><div class="charts">')
    out.append(svg_stacked(flow.labels, flow.stages, title=_("Cumulative flow")))
    out.append(svg_bars(flow.labels, flow.delivered, title=_("Throughput (delivered per week)"),
                        colour=PALETTE["success"]))
    out.append("</div></section></body></html>")
    return "\n".join(out)


# -- xlsx ---------------------------------------------------------------------------------


def write_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.chart import AreaChart, BarChart, LineChart, Reference
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)

    # KPIs: values as numbers, their text and status beside
    sheet = book.active
    sheet.title = _("KPIs")
    table = report.table
    sheet.append([_("KPIs {period}").format(period=report.period.label),
                  _("{start} to {end}").format(start=date_text(report.period.start),
                                               end=date_text(report.period.end))])
    header = [_("Manager")]
    for _key, label in kpi_columns():
        header += [label, _("{kpi} target").format(kpi=label),
                   _("{kpi} status").format(kpi=label)]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = bold
    for row in [*table.rows, table.team]:
        line: list = [row.manager_name]
        for key, _label in KPI_COLUMNS:
            kpi = row.kpis[key]
            line += [kpi.value, kpi.target, status_text(kpi.status)]
        sheet.append(line)
    sheet.freeze_panes = "B3"

    # trends: one line chart per KPI (value and target)
    sheet = book.create_sheet(_("KPI trends"))
    sheet.append([_("Team KPIs by period")])
    row_at = 2
    for n, trend in enumerate(report.trends.values()):
        sheet.cell(row_at, 1, _("Period")).font = bold
        sheet.cell(row_at, 2, trend.label).font = bold
        sheet.cell(row_at, 3, _("Target")).font = bold
        for i, (label, value, target) in enumerate(zip(trend.labels, trend.values,
                                                       trend.targets, strict=True)):
            sheet.cell(row_at + 1 + i, 1, label)
            sheet.cell(row_at + 1 + i, 2, value)
            sheet.cell(row_at + 1 + i, 3, target)
        count = len(trend.labels)
        chart = LineChart()
        chart.title = trend.label
        chart.height, chart.width = 6, 12
        chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=row_at,
                                 max_row=row_at + count), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=row_at + 1,
                                       max_row=row_at + count))
        sheet.add_chart(chart, f"{'E' if n % 2 == 0 else 'M'}{2 + (n // 2) * 13}")
        row_at += count + 2

    # timeline: load per manager per week, then every project running in the period
    sheet = book.create_sheet(_("Timeline"))
    load = report.load
    sheet.append([_("Manager"), *load.labels])
    for cell in sheet[1]:
        cell.font = bold
    for manager, counts in load.managers.items():
        sheet.append([manager, *counts])
    team_row = len(load.managers) + 2
    team = _("Team")
    sheet.append([team, *[sum(c) for c in zip(*load.managers.values(), strict=True)]]
                 if load.managers else [team, *[0] * len(load.weeks)])
    chart = BarChart()
    chart.title = _("Projects running per week (team)")
    chart.height, chart.width = 7, 18
    chart.add_data(Reference(sheet, min_col=1, max_col=len(load.weeks) + 1, min_row=team_row),
                   from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=len(load.weeks) + 1, min_row=1))
    sheet.add_chart(chart, f"A{team_row + 3}")
    start = team_row + 20
    sheet.cell(start, 1, _("Projects running in the period")).font = bold
    headers = [N_("Manager"), N_("ID"), N_("Project"), N_("Client"), N_("Stage"), N_("Health"),
               N_("Start"), N_("Due"), N_("Delivered"), N_("Overdue")]
    for col, text in enumerate(headers, start=1):
        sheet.cell(start + 1, col, _(text)).font = bold
    for n, record in enumerate(report.projects, start=start + 2):
        span = tl.project_span(record, report.today)
        for col, value in enumerate([record.get("manager"), record["id"], record.get("project"),
                                     record.get("client"), record.get("stage"),
                                     record.get("health"), span.start, span.due,
                                     span.delivered, _("yes") if span.overdue else ""],
                                    start=1):
            cell = sheet.cell(n, col, value)
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"

    # flow: projects per stage per week (stacked area) and throughput (bars)
    sheet = book.create_sheet(_("Board flow"))
    flow = report.flow
    sheet.append([_("Week"), *[shown(s) for s in flow.stages], _("Delivered")])
    for cell in sheet[1]:
        cell.font = bold
    for i, week in enumerate(flow.weeks):
        cell_row = [week, *[flow.stages[s][i] for s in flow.stages], flow.delivered[i]]
        sheet.append(cell_row)
        sheet.cell(i + 2, 1).number_format = "yyyy-mm-dd"
    weeks = len(flow.weeks)
    stages = len(flow.stages)
    area = AreaChart()
    area.grouping = "stacked"
    area.title = _("Cumulative flow")
    area.height, area.width = 8, 18
    area.add_data(Reference(sheet, min_col=2, max_col=stages + 1, min_row=1,
                            max_row=weeks + 1), titles_from_data=True)
    area.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=weeks + 1))
    sheet.add_chart(area, f"A{weeks + 4}")
    bars = BarChart()
    bars.title = _("Throughput (delivered per week)")
    bars.height, bars.width = 8, 18
    bars.add_data(Reference(sheet, min_col=stages + 2, min_row=1, max_row=weeks + 1),
                  titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=weeks + 1))
    sheet.add_chart(bars, f"A{weeks + 22}")
    book.save(path)
