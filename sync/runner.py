"""One sync run: read every tab in one call, reconcile, write only what changed, then commit
locally. The order matters for crashes: the sheet is written before the local commit, and a
run killed in between converges at the next run (the sheet then equals the local value, so
the three-way merge sees "same change on both sides").

    report = run_sync(backend, local, specs, codec=codec)
    report.counts   # {"pulled": 3, "pushed": 1, ...}

Live use: ``check_due`` asks the backend's cheap ``version()`` (Drive's file version, or a
workbook's content hash) whether a full sync is worth its Sheets request. ``state`` is a plain
dict the caller keeps between runs (amtui stores it as JSON); ``run_sync(state=...)`` records
in it the version the read saw.

    state = {}
    if check_due(backend, state, pending=False, full_interval=600):   # "sheet", "local", ...
        run_sync(backend, local, specs, state=state)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from sync.reconcile import CellWrite, TabIndex, TabPlan, drop_writes, reconcile_tab
from sync.spec import Codec, TabSpec, cell_text

# Stop and ask before a sync deletes this much of a tab.
DELETE_SHARE = 0.20
DELETE_MIN = 3
DELETE_MAX = 50


class LocalSide(Protocol):
    """What the sync needs from the local store (amtui's Store implements it)."""

    def sync_index(self, tab_key: str) -> tuple[TabIndex, set]: ...
    def sync_start_seq(self) -> int: ...
    # optional: ``check_writable()`` raises when the sync could not save what it reads
    def sync_ids(self, tab_key: str) -> set[str]: ...
    def sync_commit(self, plans: list[TabPlan], skipped: dict[str, set[str]],
                    started_seq: int, summary: dict) -> None: ...


class Backend(Protocol):
    name: str

    def read(self, titles: list[str]) -> dict[str, list[list] | None]: ...
    def read_check(self, requests: dict[str, list[int] | None]) -> dict[str, list[list]]: ...
    def write_cells(self, writes: list[tuple[str, int, int, object]]) -> None: ...
    def append_rows(self, title: str, rows: list[list]) -> int: ...
    def delete_rows(self, rows_by_title: dict[str, list[int]]) -> None: ...
    def writable(self) -> str | None: ...
    def counts(self) -> dict[str, int]: ...


@dataclass
class SyncReport:
    ok: bool = True
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    per_tab: dict[str, dict] = field(default_factory=dict)
    deletes_blocked: dict[str, int] = field(default_factory=dict)
    api_calls: dict[str, int] = field(default_factory=dict)
    not_written: str | None = None  # why writes were held back (e.g. the file is open)
    seconds: float = 0.0
    reconcile_cpu: float = 0.0
    plans: list[TabPlan] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok, "dry_run": self.dry_run, **self.counts,
            "deletes_blocked": self.deletes_blocked, "api_calls": self.api_calls,
            "not_written": self.not_written, "per_tab": self.per_tab,
            "seconds": round(self.seconds, 3), "reconcile_cpu": round(self.reconcile_cpu, 3),
        }


Progress = Callable[[str, dict], None]

FIRST, LOCAL, SHEET, SAFETY = "first", "local", "sheet", "safety"


def check_due(backend, state: dict, *, pending: bool, full_interval: float,
              now: float | None = None) -> str | None:
    """Why a full sync is due, or None: ``first`` (no version known yet), ``local`` (edits
    wait), ``sheet`` (the version moved since the last read) or ``safety`` (no full read for
    ``full_interval`` seconds after a change was seen; Drive may report a change late).
    Costs one ``version()`` call
    (no Sheets request); backends without one are always due. The version seen is kept in
    ``state["seen"]`` for ``run_sync`` to record."""
    if not hasattr(backend, "version"):
        return SHEET
    now = time.time() if now is None else now
    state["seen"] = backend.version()
    if "version" not in state:
        return FIRST
    if pending:
        return LOCAL
    if state["seen"] != state["version"]:
        return SHEET
    if full_interval > 0 and _unsettled(state, full_interval) and (
            now - float(state.get("full_at") or 0) >= full_interval):
        return SAFETY
    return None


def _unsettled(state: dict, full_interval: float) -> bool:
    """True until a full read has happened ``full_interval`` or more after the last read that
    found a change: the safety net reads once more after a burst of changes, then rests (an
    idle sheet costs no Sheets request at all)."""
    change_at = state.get("change_at")
    return change_at is not None and float(state.get("full_at") or 0) - change_at < full_interval


def run_sync(backend: Backend, local: LocalSide, specs: list[TabSpec], *,
             codec: Codec | None = None, dry_run: bool = False, allow_deletes: bool = False,
             progress: Progress | None = None, state: dict | None = None) -> SyncReport:
    """Run one sync; see the module docstring. Raises the backend's errors when the sheet
    cannot be read or written; nothing local changes then. ``state`` (see ``check_due``)
    gets the version this read saw and the time of the read."""
    started = time.perf_counter()
    say = progress or (lambda phase, info: None)
    calls_before = dict(backend.counts())
    check = getattr(local, "check_writable", None)
    if check is not None and not dry_run:
        check()  # before touching the sheet: a sync that cannot commit must not write it
    started_seq = local.sync_start_seq()

    seen = state.pop("seen", None) if state is not None else None
    read_at = time.time()
    say("reading", {"tabs": len(specs)})
    grids = backend.read([spec.title for spec in specs])
    rows = sum(max(len(g) - 1, 0) for g in grids.values() if g)

    cpu = time.process_time()
    plans = []
    for n, spec in enumerate(specs):
        say("reconciling", {"tab": spec.title, "done": n, "tabs": len(specs), "rows": rows})
        plans.append(_plan_tab(spec, grids.get(spec.title), local, codec))
    report = SyncReport(dry_run=dry_run, plans=plans)
    for plan in plans:
        blocked = _guard_deletes(plan, allow_deletes)
        if blocked:
            report.deletes_blocked[plan.spec.title] = blocked
    report.reconcile_cpu = time.process_time() - cpu

    why_not = backend.writable()
    if why_not:
        report.not_written = why_not
        for plan in plans:
            drop_writes(plan)

    skipped: dict[str, set[str]] = {}
    if not dry_run and any(p.has_writes for p in plans):
        say("writing", {"cells": sum(len(p.cell_writes) for p in plans),
                        "rows": sum(len(p.appends) for p in plans)})
        skipped = _write(backend, plans, codec or Codec())
    summary = _summarise(report, plans, backend, calls_before, started)
    if not dry_run:
        say("saving", {"records": sum(len(p.new_base) for p in plans)})
        local.sync_commit(plans, skipped, started_seq, summary)
        report.seconds = time.perf_counter() - started
        if state is not None:
            if seen is not None:  # older than what was read, never newer: nothing missed
                state["version"] = seen
            state["full_at"] = read_at
            state["seq"] = started_seq  # local edits up to here had their try
            if any(report.counts.get(k) for k in ("pulled", "pushed", "added", "deleted",
                                                    "conflicts")):
                state["change_at"] = read_at
    say("done", report.counts)
    return report


def _plan_tab(spec, grid, local, codec) -> TabPlan:
    index, open_rows = local.sync_index(spec.key)
    taken = local.sync_ids(spec.key)
    if grid:
        id_col = _find_id_col(spec, grid[0])
        if id_col is not None:
            taken |= {cell_text(r[id_col]).strip() for r in grid[1:] if id_col < len(r)}
    return reconcile_tab(spec, grid, None, None, codec=codec, index=index,
                         new_id=_id_allocator(spec, taken), open_row_conflicts=open_rows)


def _find_id_col(spec: TabSpec, header: list) -> int | None:
    col = spec.column(spec.id_key)
    return next((i for i, c in enumerate(header) if col.matches(cell_text(c))), None)


def _id_allocator(spec: TabSpec, taken: set[str]) -> Callable[[], str]:
    prefix = spec.id_prefix + "-"
    highest = max((int(t[len(prefix):]) for t in taken
                   if t.startswith(prefix) and t[len(prefix):].isdigit()), default=0)

    def new_id() -> str:
        nonlocal highest
        highest += 1
        return f"{prefix}{highest:0{spec.id_width}d}"

    return new_id


def _guard_deletes(plan: TabPlan, allow: bool) -> int:
    """Hold back a tab's deletes when there are too many; returns how many were held."""
    deletes = len(plan.remote_deletes) + len(plan.local_deletes)
    rows = max(plan.sheet_rows + len(plan.remote_deletes), 1)
    too_many = deletes > DELETE_MAX or (deletes >= DELETE_MIN and deletes > DELETE_SHARE * rows)
    if allow or not too_many:
        return 0
    held = {rid for rid, _row in plan.remote_deletes} | {
        r[plan.spec.id_key] for r in plan.local_deletes}
    plan.remote_deletes, plan.local_deletes = [], []
    plan.base_deletes = [rid for rid in plan.base_deletes if rid not in held]
    plan.pushed_ids -= held
    return deletes


def _write(backend: Backend, plans: list[TabPlan], codec: Codec) -> dict[str, set[str]]:
    """Carry out the plans' writes; returns per tab the record IDs whose write did not land:
    the row moved away or vanished, or a person typed into the cell, between the read and the
    write. Those stay pending locally and meet the person's value at the next sync."""
    skipped: dict[str, set[str]] = {p.spec.key: set() for p in plans}
    need: dict[str, list[int] | None] = {}
    for plan in plans:
        if not (plan.cell_writes or plan.remote_deletes):
            continue
        if any(w.record_id is None for w in plan.cell_writes):
            need[plan.spec.title] = None  # rows without an ID are found by their content
        else:
            need[plan.spec.title] = sorted({plan.id_col, *(w.col for w in plan.cell_writes)})
    # Rows may have moved and cells changed since the read: look once more, narrowly.
    current = backend.read_check(need) if need else {}
    writes: list[tuple[str, int, int, object]] = []
    deletes: dict[str, list[int]] = {}
    for plan in plans:
        title = plan.spec.title
        if title not in current:
            continue
        grid = current[title]
        rows_by_id, rows_by_content = _positions(plan, grid, need[title] is None)
        for cell in plan.cell_writes:
            row = _locate(cell, rows_by_id, rows_by_content)
            if row is None or _text_at(grid, row, cell.col) != cell.expected:
                skipped[plan.spec.key].add(cell.record_id or str(cell.value))
                continue
            writes.append((title, row, cell.col, cell.value))
        for record_id, _row in plan.remote_deletes:
            rows = rows_by_id.get(record_id, [])
            if len(rows) == 1:
                deletes.setdefault(title, []).append(rows[0])
    if writes:
        backend.write_cells(writes)
    for plan in plans:
        if plan.appends:
            rows = [_sheet_row(plan, record, codec) for record in plan.appends]
            first = backend.append_rows(plan.spec.title, rows)
            for offset, record in enumerate(plan.appends):
                base = plan.new_base.get(record[plan.spec.id_key])
                if base is not None:
                    base["_row"] = first + offset
    if deletes:
        backend.delete_rows(deletes)
    return skipped


def _text_at(grid: list[list], row: int, col: int) -> str:
    cells = grid[row - 1] if row - 1 < len(grid) else []
    return cell_text(cells[col]) if col < len(cells) else ""


def _positions(plan: TabPlan, grid: list[list], full: bool):
    """Where each ID (and, for ID-less rows, each row's content) is now."""
    rows_by_id: dict[str, list[int]] = {}
    rows_by_content: dict[tuple, list[int]] = {}
    for offset, cells in enumerate(grid[1:]):
        row = offset + 2
        record_id = _text_at(grid, row, plan.id_col).strip()
        if record_id:
            rows_by_id.setdefault(record_id, []).append(row)
        if full:
            rows_by_content.setdefault(_trim(tuple(cell_text(c) for c in cells)), []).append(row)
    return rows_by_id, rows_by_content


def _locate(cell: CellWrite, rows_by_id, rows_by_content) -> int | None:
    if cell.record_id is not None:
        rows = rows_by_id.get(cell.record_id, [])
        if len(rows) == 1:
            return rows[0]
        # a copied row shares the ID until we fix it: keep the planned row if still there
        return cell.row if cell.row in rows else None
    rows = rows_by_content.get(_trim(cell.fingerprint), [])
    if len(rows) == 1 or (rows and cell.row in rows):
        return cell.row if cell.row in rows else rows[0]
    return None


def _trim(cells: tuple) -> tuple:
    cells = list(cells)
    while cells and cells[-1] == "":
        cells.pop()
    return tuple(cells)


def _sheet_row(plan: TabPlan, record: dict, codec: Codec) -> list:
    width = max([plan.width, *(c + 1 for c in plan.columns.values())])
    row: list = [""] * width
    for key, col in plan.columns.items():
        row[col] = codec.write(plan.spec.key, key, record.get(key, ""))
    while row and row[-1] == "":
        row.pop()
    return row


def _summarise(report: SyncReport, plans, backend, calls_before, started) -> dict:
    totals = {"pulled": 0, "pushed": 0, "added": 0, "deleted": 0, "conflicts": 0,
              "problems": 0}
    for plan in plans:
        counts = plan.counts()
        report.per_tab[plan.spec.title] = {
            **counts, "readonly": plan.readonly, "skipped": plan.skipped,
        }
        for key in totals:
            totals[key] += counts[key]
    report.counts = totals
    after = backend.counts()
    report.api_calls = {k: v - calls_before.get(k, 0) for k, v in after.items()
                        if v - calls_before.get(k, 0)}
    report.seconds = time.perf_counter() - started
    report.ok = not (totals["conflicts"] or report.deletes_blocked)
    return report.to_dict()
