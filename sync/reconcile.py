"""Three-way reconcile of one tab: the sheet now, the local store now, and both as they were
at the last sync (the *base*), field by field, the way Unison reconciles against its archive.

``reconcile_tab`` is pure: it reads nothing and writes nothing, it returns a ``TabPlan``
that says what to write where. The runner carries the plan out.

Per field, with ``b`` the base, ``l`` local and ``r`` the sheet:

=================  =========================================================
l == b, r != b     pull: the sheet's value goes into the store
l != b, r == b     push: the local value goes into the sheet's cell
l == r             nothing to move (base becomes r)
l != b != r != l   conflict: the store takes r, the local value is kept beside it
=================  =========================================================
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter

from sync.spec import Codec, TabSpec, address, cell_text


@dataclass
class CellWrite:
    record_id: str | None  # None: the ID cell of a row that had none (found by `fingerprint`)
    row: int  # 1-based sheet row at read time
    col: int  # 0-based column
    value: object
    fingerprint: tuple = ()
    expected: str = ""  # the cell's text when read: a different text now means a person typed


@dataclass
class TabPlan:
    spec: TabSpec
    columns: dict[str, int] = field(default_factory=dict)  # field key -> column index
    id_col: int | None = None
    width: int = 0
    skipped: bool = False  # no ID column: nothing read, nothing written
    readonly: bool = False  # a header is missing: read what we can, write nothing
    pulls: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, key, old, new
    inserts: list[dict] = field(default_factory=list)  # records people added in the sheet
    local_deletes: list[dict] = field(default_factory=list)  # rows deleted in the sheet
    remote_deletes: list[tuple[str, int]] = field(default_factory=list)  # (id, row)
    cell_writes: list[CellWrite] = field(default_factory=list)
    appends: list[dict] = field(default_factory=list)  # local records new to the sheet
    new_base: dict[str, dict] = field(default_factory=dict)  # id -> fields (+ "_row")
    base_deletes: list[str] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    pushed_ids: set[str] = field(default_factory=set)  # records whose base waits on a write
    sheet_rows: int = 0  # data rows in the sheet at read time
    same_fields: Callable = field(default=lambda record: (), repr=False)
    parsed_ids: set[str] = field(default_factory=set)  # records looked at (problems renewed)

    @property
    def has_writes(self) -> bool:
        return bool(self.cell_writes or self.appends or self.remote_deletes)

    def counts(self) -> dict[str, int]:
        return {
            "pulled": len(self.pulls) + len(self.inserts) + len(self.local_deletes),
            "pushed": len(self.cell_writes),
            "added": len(self.appends),
            "deleted": len(self.remote_deletes),
            "conflicts": len(self.conflicts),
            "problems": len(self.problems),
        }


def _problem(spec: TabSpec, reason: str, *, record_id="", key="", row=0, col=None, value="",
             kind="sync") -> dict:
    return {
        "tab": spec.key, "record_id": record_id, "field": key,
        "address": address(spec.title, row, col) if row and col is not None else spec.title,
        "value": value, "reason": reason, "kind": kind, "row": row,
    }


def map_headers(spec: TabSpec, header_row: list) -> tuple[dict[str, int], list[str]]:
    """Find each owned column by header name. Returns (key -> index, problems)."""
    found: dict[str, int] = {}
    problems = []
    for col_spec in spec.columns:
        ranked = [(rank, i) for i, cell in enumerate(header_row)
                  if (rank := col_spec.rank(cell_text(cell))) is not None]
        best = min((rank for rank, _ in ranked), default=None)
        # the closest name wins: "Due" beside a column a synonym would match is the Due column
        hits = [i for rank, i in ranked if rank == best]
        if len(hits) > 1:
            problems.append(
                f"header {col_spec.header!r} appears {len(hits)} times in {spec.title}; "
                "rename the extra column"
            )
        if hits:
            found[col_spec.key] = hits[0]
        else:
            problems.append(
                f"column {col_spec.header!r} is missing from {spec.title} (renamed or deleted?); "
                f"amtui will not write to this tab until the header is back"
            )
    return found, problems


@dataclass
class TabIndex:
    """What the store can say cheaply about a tab, so unchanged rows need no parsing: each
    synced record's sheet row and row hash then, and the IDs changed here since."""

    base_rows: dict[str, tuple[int, int | None]]  # id -> (row, hash) at the last sync
    dirty: set[str]  # records edited here (or never synced) since the last sync
    load: Callable[[set[str]], tuple[dict, dict]]  # ids -> (local, base) records


def row_hash(cells: list, columns: list[int]) -> int:
    """A stable fingerprint of a row's owned cells (same cells, same number, any run)."""
    width = len(cells)
    return zlib.crc32(repr(tuple(cells[c] if c < width else None for c in columns)).encode())


def reconcile_tab(
    spec: TabSpec,
    grid: list[list] | None,
    local: dict[str, dict] | None,
    base: dict[str, dict] | None,
    *,
    codec: Codec | None = None,
    new_id: Callable[[], str],
    open_row_conflicts: Iterable[str] = (),
    index: TabIndex | None = None,
) -> TabPlan:
    """Plan one tab's sync. ``grid`` is the tab as read (rows of cells, header first) or None
    when the tab does not exist; ``local`` and ``base`` map ID to ``{field: text}`` (base rows
    also carry ``"_row"``); ``new_id()`` gives a fresh ID for rows people added without one.

    With ``index`` instead of ``local``/``base``, rows whose cells hash as at the last sync
    and whose records were not edited here are skipped, and only the other records are
    loaded: a sync with little changed reads little."""
    codec = codec or Codec()
    plan = TabPlan(spec)
    if grid is None:
        plan.skipped = True
        plan.problems.append(_problem(spec, f"tab {spec.title!r} is missing from the sheet "
                                            "(run `amtui init-sheet` to add it)", kind="structure"))
        return plan
    header = grid[0] if grid else []
    plan.width = len(header)
    plan.columns, header_problems = map_headers(spec, header)
    plan.id_col = plan.columns.get(spec.id_key)
    for reason in header_problems:
        plan.problems.append(_problem(spec, reason, kind="structure"))
    if plan.id_col is None:
        plan.skipped = True
        return plan
    plan.readonly = bool(header_problems)

    owned = [plan.columns[k] for k in spec.keys if k in plan.columns]
    rows = None
    if index is not None:
        rows, needed = _triage(plan, grid, owned, index)
        local, base = index.load(needed)
        plan.parsed_ids = needed
    remote = _read_rows(spec, grid, plan, codec, base, new_id, local, owned, rows)
    if index is None:
        plan.parsed_ids = set(remote) | set(local) | set(base)
    present = [k for k in spec.keys if k in plan.columns and k != spec.id_key]
    plan.same_fields = itemgetter(*present) if len(present) > 1 else (
        lambda record: tuple(record.get(k, "") for k in present))
    open_rows = set(open_row_conflicts)
    for record_id in sorted(set(remote) | set(local) | set(base)):
        _reconcile_record(plan, codec, record_id, remote.get(record_id), local.get(record_id),
                          base.get(record_id), record_id in open_rows)
    if plan.readonly:
        drop_writes(plan)
    return plan


def _triage(plan: TabPlan, grid: list[list], owned: list[int], index: TabIndex):
    """Rows to parse and record IDs to load: everything but rows that hash as at the last
    sync, sit on the same row, and whose record was not edited here."""
    id_col = plan.id_col
    seen: dict[str, list[tuple[int, int]]] = {}
    for offset, cells in enumerate(grid[1:]):
        width = len(cells)
        if all(c >= width or cells[c] is None or cells[c] == "" for c in owned):
            continue
        plan.sheet_rows += 1
        record_id = cell_text(cells[id_col]).strip() if id_col < width else ""
        seen.setdefault(record_id, []).append((offset + 2, row_hash(cells, owned)))
    rows: list[int] = []
    needed = set(index.dirty)
    for record_id, places in seen.items():
        if (not record_id or len(places) > 1 or record_id in index.dirty
                or index.base_rows.get(record_id) != places[0]):
            rows.extend(row for row, _hash in places)
            needed.add(record_id)
    needed |= {rid for rid in index.base_rows if rid not in seen}
    needed.discard("")
    return sorted(rows), needed


def _read_rows(spec, grid, plan, codec, base, new_id, local, owned,
               only_rows=None) -> dict[str, dict]:
    """Parse data rows into ``{id: {field: text, "_row": n, "_raw": cells}}``."""
    columns = [(k, plan.columns[k], {}) for k in spec.keys if k in plan.columns]
    read = codec.read
    remote: dict[str, dict] = {}
    by_id_rows: dict[str, list[dict]] = {}
    numbered = (enumerate(grid[1:], start=2) if only_rows is None
                else ((row, grid[row - 1]) for row in only_rows))
    count_rows = only_rows is None
    for row, cells in numbered:
        record: dict = {"_row": row, "_raw": cells, "_hash": row_hash(cells, owned)}
        unreadable: list = []
        empty = True
        width = len(cells)
        for key, col, cache in columns:
            cell = cells[col] if col < width else None
            if cell is None or cell == "":
                record[key] = ""
                continue
            empty = False
            # most cells repeat (stages, names, dates): read each distinct value once
            memo = (type(cell), cell) if isinstance(cell, bool) else cell
            hit = cache.get(memo)
            if hit is None:
                hit = cache[memo] = read(spec.key, key, cell)
            record[key] = hit[0]
            if hit[1] and key != spec.id_key:
                unreadable.append((key, col, hit))
        if empty:
            continue
        if count_rows:
            plan.sheet_rows += 1
        record_id = record.get(spec.id_key, "").strip()
        record[spec.id_key] = record_id
        while unreadable:
            key, col, (text, reason) = unreadable.pop()
            plan.problems.append(_problem(spec, reason, record_id=record_id, key=key, row=row,
                                          col=col, value=text))
        by_id_rows.setdefault(record_id, []).append(record)

    for record_id, rows in by_id_rows.items():
        if not record_id:
            for record in rows:
                _give_id(plan, spec, record, new_id(), reason=None)
                remote[record[spec.id_key]] = record
            continue
        keep = rows[0]
        if len(rows) > 1:
            base_row = base.get(record_id, {}).get("_row")
            keep = next((r for r in rows if r["_row"] == base_row), rows[0])
        remote[record_id] = keep
        for copy in rows:
            if copy is keep:
                continue
            fresh = new_id()
            _give_id(plan, spec, copy, fresh,
                     reason=f"duplicate ID {record_id} (a copied row?); this row is now {fresh}")
            remote[fresh] = copy
    return remote


def _give_id(plan: TabPlan, spec: TabSpec, record: dict, fresh: str, reason: str | None):
    row, col = record["_row"], plan.id_col
    cells = row_text(record)
    plan.cell_writes.append(CellWrite(None, row, col, fresh, fingerprint=cells,
                                      expected=cell_text(cells[col]) if col < len(cells) else ""))
    record[spec.id_key] = fresh
    record["_new_id"] = True
    if reason:
        plan.problems.append(_problem(spec, reason, record_id=fresh, key=spec.id_key, row=row,
                                      col=col, value=cells[col], kind="duplicate"))


def row_text(record: dict) -> tuple[str, ...]:
    """The row as read, as text: identifies a row that has no ID yet."""
    return tuple(cell_text(c) for c in record["_raw"])


def _fields(spec: TabSpec, record: dict | None) -> dict:
    if record is None:
        return {}
    return {k: record.get(k, "") for k in spec.keys}


def _reconcile_record(plan: TabPlan, codec: Codec, record_id: str, r: dict | None,
                      loc: dict | None, b: dict | None, open_row_conflict: bool) -> None:
    spec = plan.spec
    present = [k for k in spec.keys if k in plan.columns and k != spec.id_key]
    if r is not None and loc is not None:
        _merge_fields(plan, codec, record_id, r, loc, b, present)
    elif r is not None and b is None:
        # a row people added in the sheet
        record = _fields(spec, r)
        plan.inserts.append(record)
        plan.new_base[record_id] = {**record, "_row": r["_row"],
                                    "_hash": None if r.get("_new_id") else r["_hash"]}
        if r.get("_new_id"):
            plan.pushed_ids.add(record_id)
    elif r is not None:  # base, no local: deleted here
        if all(r.get(k, "") == b.get(k, "") for k in present):
            plan.remote_deletes.append((record_id, r["_row"]))
            plan.base_deletes.append(record_id)
            plan.pushed_ids.add(record_id)
        else:
            # edited in the sheet since: bring it back and let a person decide
            record = _fields(spec, r)
            plan.inserts.append(record)
            plan.new_base[record_id] = {**record, "_row": r["_row"], "_hash": r["_hash"]}
            plan.conflicts.append(_conflict(spec, record_id, "*", "", "deleted",
                                            "edited in the sheet"))
    elif loc is not None and b is None:
        plan.appends.append(_fields(spec, loc))
        plan.new_base[record_id] = {**_fields(spec, loc), "_row": 0}
        plan.pushed_ids.add(record_id)
    elif loc is not None:  # base, no sheet row: deleted in the sheet
        if open_row_conflict:
            return
        if all(loc.get(k, "") == b.get(k, "") for k in present):
            plan.local_deletes.append(_fields(spec, loc))
            plan.base_deletes.append(record_id)
        else:
            plan.conflicts.append(_conflict(spec, record_id, "*", "",
                                            json.dumps(_fields(spec, loc), ensure_ascii=False),
                                            "deleted"))
    elif b is not None:
        plan.base_deletes.append(record_id)  # gone on both sides


def _merge_fields(plan, codec, record_id, r, loc, b, present) -> None:
    spec = plan.spec
    row = r["_row"]
    if b is not None and not r.get("_new_id"):
        same = plan.same_fields
        if same(r) == same(loc) == same(b):
            if b.get("_row") != row or b.get("_hash") != r["_hash"]:
                # moved (sorted, rows inserted above) or retyped the same: remember it
                plan.new_base[record_id] = {**b, "_row": row, "_hash": r["_hash"]}
            return
    new_base = {k: (b or {}).get(k, loc.get(k, "")) for k in spec.keys}
    new_base[spec.id_key] = record_id
    for key in present:
        rv, lv = r.get(key, ""), loc.get(key, "")
        bv = b.get(key, "") if b is not None else None
        if rv == lv:
            new_base[key] = rv
        elif bv is not None and lv == bv:
            plan.pulls.append((record_id, key, lv, rv))
            new_base[key] = rv
        elif bv is not None and rv == bv:
            col = plan.columns[key]
            cells = r["_raw"]
            plan.cell_writes.append(CellWrite(
                record_id, row, col, codec.write(spec.key, key, lv),
                expected=cell_text(cells[col]) if col < len(cells) else ""))
            new_base[key] = lv
            plan.pushed_ids.add(record_id)
            if plan.problems:  # the cell's unreadable value is being replaced
                plan.problems = [p for p in plan.problems
                                 if (p["record_id"], p["field"]) != (record_id, key)]
        else:
            plan.conflicts.append(_conflict(spec, record_id, key, bv or "", lv, rv))
            plan.pulls.append((record_id, key, lv, rv))
            new_base[key] = rv
    new_base["_row"] = row
    # after a write the sheet's cells are not what was read: hash them at the next read
    new_base["_hash"] = None if record_id in plan.pushed_ids else r["_hash"]
    plan.new_base[record_id] = new_base
    if r.get("_new_id"):
        plan.pushed_ids.add(record_id)


def _conflict(spec, record_id, key, base, mine, theirs) -> dict:
    return {"tab": spec.key, "record_id": record_id, "field": key, "base": base,
            "mine": mine, "theirs": theirs, "status": "open"}


def drop_writes(plan: TabPlan) -> None:
    """A tab with a missing header is read but not written: keep local edits pending."""
    for record_id in plan.pushed_ids:
        plan.new_base.pop(record_id, None)
    written = plan.pushed_ids
    plan.inserts = [r for r in plan.inserts if r[plan.spec.id_key] not in written]
    plan.base_deletes = [i for i in plan.base_deletes if i not in written]
    plan.cell_writes, plan.appends, plan.remote_deletes = [], [], []
    plan.pushed_ids = set()

