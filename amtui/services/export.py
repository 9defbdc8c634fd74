"""KPI tables as CSV (numbers, for spreadsheets) and Markdown (the shown text, for people).
The KPI screen's ``e`` and ``amtui kpi --format csv`` both write through here.

    csv_path, md_path = export_table(table, rows, folder)
    write_csv(sys.stdout, table, table.rows, kpis)

In the CSV each KPI has its value as a plain number (percentages 0-100, hours, money
without a currency sign), its target, its status, and for CSAT the number of ratings in a
column of its own; a KPI without data is an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from amtui.domain.i18n import N_, _, date_text
from amtui.domain.kpi import (
    BACKLOG_LIMITS,
    LOWER_IS_BETTER,
    STATUS_NO_TARGET,
    STATUS_OFF,
    STATUS_ON,
    STATUS_RISK,
    KpiTable,
    KpiValue,
    ManagerKpis,
    format_value,
    kpi_label,
    status_text,
)

STATUS_MARK = {STATUS_ON: "✓", STATUS_RISK: "!", STATUS_OFF: "✗"}
# KPIs whose value rests on a count that goes in a column of its own
COUNT_OF = {"csat": ("csat_count", N_("CSAT ratings"))}


def target_text(kpi: KpiValue) -> str:
    """What the value is judged against: ``≥ 90%``, ``≤ 24 h``, ``≤ 0 (risk ≤ 2)``."""
    if kpi.key in BACKLOG_LIMITS:
        ok, risky = BACKLOG_LIMITS[kpi.key]
        return _("≤ {ok} (risk ≤ {risky})").format(ok=ok, risky=risky)
    if kpi.target is None:
        return status_text(STATUS_NO_TARGET)
    shown = format_value(kpi.key, kpi.target)
    if kpi.key == "csat":
        shown = f"{kpi.target:.1f}"
    return f"≤ {shown}" if kpi.key in LOWER_IS_BETTER else f"≥ {shown}"


def status_mark(status: str) -> str:
    """`` ✓`` / `` !`` / `` ✗`` after a value, or nothing."""
    mark = STATUS_MARK.get(status, "")
    return f" {mark}" if mark else ""


def number(value: float | None) -> str:
    """A value as a spreadsheet reads it: ``4.25``, ``85``, ``1234000``; empty when none."""
    if value is None:
        return ""
    rounded = round(value, 2)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def csv_header(kpis: Sequence[str]) -> list[str]:
    header = [_("Manager")]
    for key in kpis:
        label = kpi_label(key)
        header += [label, _("{kpi} target").format(kpi=label),
                   _("{kpi} status").format(kpi=label)]
        if key in COUNT_OF:
            header.append(_(COUNT_OF[key][1]))
    return header


def csv_row(row: ManagerKpis, kpis: Sequence[str]) -> list[str]:
    line = [row.manager_name]
    for key in kpis:
        kpi = row.kpis[key]
        target = kpi.target
        if target is None and key in BACKLOG_LIMITS:
            target = BACKLOG_LIMITS[key][0]
        line += [number(kpi.value), number(target), status_text(kpi.status)]
        if key in COUNT_OF:
            count = row.kpis.get(COUNT_OF[key][0])
            line.append(number(count.value) if count is not None else "")
    return line


def write_csv(handle: TextIO, table: KpiTable, rows: Sequence[ManagerKpis],
              kpis: Sequence[str]) -> None:
    """The rows, then the team, as CSV of numbers."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(csv_header(kpis))
    for row in [*rows, table.team]:
        writer.writerow(csv_row(row, kpis))


def markdown(table: KpiTable, rows: Sequence[ManagerKpis], kpis: Sequence[str]) -> str:
    """The table as Markdown, each value with its status mark, the team row in bold."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    period = table.period
    span = _("{start} to {end}; backlog as of {day}. ✓ on track, ! at risk, ✗ off track "
             "(against each manager's target).").format(
        start=date_text(period.start), end=date_text(period.end),
        day=date_text(table.reference_date))
    lines = [
        _("# KPIs {period}").format(period=period.label),
        "",
        span,
        "",
        "| " + _("Manager") + " | " + " | ".join(kpi_label(k) for k in kpis) + " |",
        "|---|" + "---:|" * len(kpis),
    ]
    for row in [*rows, table.team]:
        name = f"**{row.manager_name}**" if row is table.team else row.manager_name
        cells = [cell((row.kpis[key].display + status_mark(row.kpis[key].status)).strip())
                 for key in kpis]
        lines.append(f"| {cell(name)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def export_table(table: KpiTable, rows: Sequence[ManagerKpis], folder: Path,
                 kpis: Sequence[str]) -> tuple[Path, Path]:
    """Write the table (rows in the given order, team last) as CSV and Markdown files
    ``kpis-<period>.csv`` / ``.md`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"kpis-{table.period}"
    csv_path, md_path = folder / f"{stem}.csv", folder / f"{stem}.md"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, table, rows, kpis)
    md_path.write_text(markdown(table, rows, kpis), encoding="utf-8")
    return csv_path, md_path


def display_rows(table: KpiTable) -> list[dict[str, str]]:
    """One dict a manager (and the team) of shown values with marks, for text tables."""
    out = []
    for row in [*table.rows, table.team]:
        line = {_("Manager"): row.manager_name}
        for key, label in table.columns:
            kpi = row.kpis.get(key)
            if kpi is not None:
                line[label] = kpi.display + status_mark(kpi.status)
        out.append(line)
    return out


def csv_kpis(keys: Sequence[str]) -> list[str]:
    """``keys`` less the counts that ride along with another KPI (CSAT's ratings)."""
    counted = {count for count, _label in COUNT_OF.values()}  # noqa: F841
    return [k for k in keys if k not in counted]
