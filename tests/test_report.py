"""`amtui report`: the HTML (parsed) and the xlsx (openpyxl) hold every section, the KPI
figures of `amtui kpi --format json`, and their charts."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from openpyxl import load_workbook

from amtui.cli.main import main
from amtui.domain.timeline import OVERLOAD

PERIOD = "2026-Q4"


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def kpi_json(config, capsys) -> dict:
    code, out, _ = run(config, capsys, "kpi", "--period", PERIOD, "--format", "json")
    assert code == 0
    return json.loads(out)


class Page(HTMLParser):
    """What the tests read from the report: sections, KPI cells, charts and scripts."""

    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.headings: list[str] = []
        self.cells: dict[tuple[str, str], tuple[str, str]] = {}  # (manager, kpi) -> value
        self.svgs: list[str] = []
        self.series: list[tuple[str, str]] = []  # (figure kpi, series name)
        self.figure = ""
        self.row = ""
        self.cell: tuple[str, str, str] | None = None
        self.text: list[str] = []
        self.external: list[str] = []
        self.in_heading = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        if tag == "section":
            self.sections.append(a.get("id", ""))
        if tag == "h2":
            self.in_heading = True
        if tag == "tr" and "data-manager" in a:
            self.row = a["data-manager"]
        if tag == "td" and "data-kpi" in a and self.row:
            self.cell = (self.row, a["data-kpi"], a.get("data-value", ""))
            self.text = []
        if tag == "svg":
            self.svgs.append(a.get("class", ""))
        if tag == "figure":
            self.figure = a.get("data-kpi", "")
        if tag == "polyline" and self.figure:
            self.series.append((self.figure, a.get("data-series", "")))

    def handle_endtag(self, tag):
        if tag == "td" and self.cell:
            manager, kpi, value = self.cell
            self.cells[(manager, kpi)] = (value, "".join(self.text))
            self.cell = None
        if tag == "h2":
            self.in_heading = False
        if tag == "figure":
            self.figure = ""

    def handle_data(self, data):
        if self.cell:
            self.text.append(data)
        if self.in_heading:
            self.headings.append(data)


def test_html_report_has_every_section_the_kpi_figures_and_svg_charts(demo_config, capsys):
    expected = kpi_json(demo_config, capsys)
    code, out, _ = run(demo_config, capsys, "report", "--period", PERIOD, "--format", "html")
    assert code == 0
    path = Path(demo_config).parent / "reports" / f"report-{PERIOD}.html"
    assert str(path) in out and path.exists()

    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    assert page.sections == ["kpis", "kpi-trends", "timeline", "board-flow"]
    assert page.headings == ["KPIs", "KPI trends", "Timeline", "Board flow"]
    assert page.external == []  # self-contained: no script, stylesheet link or image file

    rows = [*expected["managers"], {**expected["team"], "manager_id": "team"}]
    assert any(r["manager_name"] in ("张伟", "王芳") for r in rows)  # CJK names carried
    checked = 0
    for row in rows:
        for key, kpi in row["kpis"].items():
            value, text = page.cells[(row["manager_id"], key)]
            assert text == kpi["display"], (row["manager_name"], key)
            if kpi["value"] is None:
                assert value == ""
            else:
                assert round(float(value), 4) == kpi["value"]
            checked += 1
    assert checked == len(rows) * len(expected["columns"])

    # charts: KPI trends with their target line, load bars, flow layers, throughput, gantt
    assert page.svgs.count("chart line-chart") >= 6
    assert ("csat", "target") in page.series and ("csat", "CSAT") in page.series
    assert {"chart bar-chart", "chart flow-chart", "chart gantt"} <= set(page.svgs)


def test_html_trend_points_are_the_team_trend_of_kpi_json(demo_config, capsys, tmp_path):
    from amtui.core.workspace import Workspace
    from amtui.domain.period import Period
    from amtui.services.report import build_report

    expected = kpi_json(demo_config, capsys)
    workspace = Workspace.open(demo_config)
    report = build_report(workspace, Period.parse(PERIOD))
    workspace.store.close()
    for key, trend in report.trends.items():
        assert [None if v is None else round(v, 4) for v in trend.values] == \
            expected["team"]["kpis"][key]["trend"], key
    assert round(report.trends["csat"].targets[-1], 4) == \
        expected["team"]["kpis"]["csat"]["target"]


def test_xlsx_report_has_a_sheet_per_section_figures_and_native_charts(demo_config, capsys):
    expected = kpi_json(demo_config, capsys)
    code, out, _ = run(demo_config, capsys, "report", "--period", PERIOD, "--format", "xlsx")
    assert code == 0
    path = Path(demo_config).parent / "reports" / f"report-{PERIOD}.xlsx"
    assert str(path) in out

    book = load_workbook(path)
    assert book.sheetnames == ["KPIs", "KPI trends", "Timeline", "Board flow"]
    sheet = book["KPIs"]
    header = [c.value for c in sheet[2]]
    lines = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    for row in [*expected["managers"], expected["team"]]:
        line = lines[row["manager_name"]]
        for key, kpi in row["kpis"].items():
            at = header.index(kpi["label"])
            got = line[at]
            assert (None if got is None else round(got, 4)) == kpi["value"], (row, key)
            assert line[at + 2] == kpi["status"]

    # native charts: the chart parts of the saved file
    from zipfile import ZipFile

    with ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        kinds = "".join(archive.read(n).decode() for n in charts)
    assert len(charts) >= 8 + 3  # a line chart per KPI trend, load bars, flow area, throughput
    assert "lineChart>" in kinds and "barChart>" in kinds and "areaChart>" in kinds

    timeline = book["Timeline"]
    load_rows = list(timeline.iter_rows(min_row=2, max_row=9, values_only=True))
    assert any(isinstance(v, int) for r in load_rows for v in r[1:])
    assert all(v is None or isinstance(v, int) for r in load_rows for v in r[1:])
    assert OVERLOAD > 0


def test_bad_period_is_a_usage_error(demo_config, capsys):
    code, _out, err = run(demo_config, capsys, "report", "--period", "2026-Q5")
    assert code == 2 and "--period" in err
