"""How KPI values look in the UI: status colours from the theme, one-line cells, targets,
trend bars and chart labels. Shared by the KPI table, the scorecard, the review form and
People.

    grid.add_row(cell(label), kpi_cell(app, kpi), cell(target_text(kpi)))
"""

from __future__ import annotations

import weakref

from rich.cells import cell_len
from rich.text import Text
from textual.color import Color, ColorParseError

from amtui.domain.i18n import _, is_chinese
from amtui.domain.kpi import (
    BACKLOG_LIMITS,
    STATUS_NO_DATA,
    STATUS_NO_TARGET,
    STATUS_OFF,
    STATUS_ON,
    STATUS_RISK,
    KpiValue,
    ManagerKpis,
    format_value,
)
from amtui.domain.period import Period
from amtui.services.export import target_text

__all__ = ["cell", "compact_value", "judged_text", "kpi_cell", "mini_trend", "sparkline_data",
           "status_style", "status_summary", "target_text", "theme_colour", "trend_labels"]

TREND_BARS = "▁▂▃▄▅▆▇█"
# Cells per period in the trend charts: 6 periods make a 48-cell chart.
CHART_STEP = 8


_styles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def theme_colour(app, name: str) -> str | None:
    """A theme variable as a Rich colour; None when it is not a plain colour (``auto 60%``).

    >>> from types import SimpleNamespace
    >>> theme_colour(SimpleNamespace(theme_variables={"text-error": "ansi_red"}), "text-error")
    'red'
    >>> theme_colour(SimpleNamespace(theme_variables={"text-error": "#E5534B"}), "text-error")
    '#E5534B'
    """
    value = app.theme_variables.get(name)
    if not value:
        return None
    try:
        colour = Color.parse(value)
    except ColorParseError:
        return None
    if colour.ansi is not None:  # an ANSI theme: Rich names it "red", Textual "ansi_red"
        return colour.hex.removeprefix("ansi_")
    return colour.hex


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


def judged_text(kpi: KpiValue) -> str:
    """``target ≥ 4.2`` (or the backlog limits), or ``no target set``."""
    if kpi.target is None and kpi.key not in BACKLOG_LIMITS:
        return _("no target set")
    return _("target {target}").format(target=target_text(kpi))


def compact_value(key: str, value: float | None) -> str:
    """A value in at most 7 characters, for chart labels: ``¥1.02M``, ``¥687k``, ``85%``."""
    if value is None:
        return "—"
    if key == "revenue" and is_chinese() and abs(value) >= 10_000:
        return f"¥{value / 10_000:.0f}万" if abs(value) >= 100_000 else \
            f"¥{value / 10_000:.1f}万"
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
        names.append(_center(period.short_label, width))
        values.append(_center(compact_value(kpi.key, value), width))
    return "".join(names).rstrip() + "\n" + "".join(values).rstrip()


def _center(text: str, width: int) -> str:
    """``text`` centred in ``width`` cells (cut to fit, never inside a wide character)."""
    while cell_len(text) > width:
        text = text[:-1]
    space = width - cell_len(text)
    left = space // 2 + (space & width & 1)  # as str.center splits an odd space
    return " " * left + text + " " * (space - left)


def sparkline_data(values: list[float | None], width: int = CHART_STEP) -> list[float]:
    """Each period repeated ``width`` times, so its bar lines up with its label. The widget
    needs numbers: a period without data is drawn as 0 and labelled "—"."""
    return [v if v is not None else 0.0 for v in values for _ in range(width)]


def status_summary(row: ManagerKpis) -> str:
    off, risk, on = row.count(STATUS_OFF), row.count(STATUS_RISK), row.count(STATUS_ON)
    return _("{off} off track · {risk} at risk · {on} on track").format(
        off=off, risk=risk, on=on)
