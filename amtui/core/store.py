"""The local store: one SQLite file (through sqlite-utils) that the CLI, the app and the sync share.

Every record kind of the sheet has a table of the same key (``projects``, ``feedback``...),
one TEXT column per field. Beside them live the sync's bookkeeping:

- ``base_<tab>``: each record's field values as last synced, and its sheet row then;
- ``edits``: every local edit, one row per edit, ``synced = 0`` until a sync carried it;
- ``conflicts``: fields changed differently on both sides, kept until a person decides;
- ``problems``: values and structure the sync could not read, with their cell address;
- ``events``: observed changes (local edits and what a sync pulled), for the standup;
- ``sync_runs``: one row per sync with its counts;
- ``meta``: schema version and small settings.

Usage::

    store = Store("amtui.db")
    pid = store.add("projects", {"project": "Spring launch", "stage": "Intake"})
    store.update("projects", pid, {"stage": "Planning"})
    store.undo()          # back to Intake; the edit is gone from what the next sync pushes

No UI imports here: the app reads through this API and never writes SQL itself.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from amtui.domain import schema
from amtui.domain.rules import Rules
from amtui.domain.validate import RefIndex, prepare_edit, validate_all

SCHEMA_VERSION = 1
REF_TABS = ("managers", "clients", "projects")


class EditRejected(ValueError):
    """An edit with values that do not parse; ``reasons`` says which and why."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class UnknownRecord(KeyError):
    pass


@dataclass(frozen=True)
class Edit:
    seq: int
    at: str
    tab: str
    record_id: str
    op: str  # add | update | delete
    changes: dict  # field -> [old, new]; for add/delete the whole record

    def describe(self) -> str:
        title = schema.TABS[self.tab].title
        if self.op == "update":
            fields = ", ".join(schema.TABS[self.tab].header_of(k) for k in self.changes)
            return f"{title} {self.record_id}: {fields}"
        return f"{self.op} {title} {self.record_id}"


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Store:
    """A workspace's local SQLite cache. Safe to use from one worker thread and the UI thread
    at once: sqlite-utils gives each thread its own connection to the same WAL-mode file."""

    def __init__(self, path: str | Path, rules: Rules | None = None):
        self.path = Path(path)
        self.rules = rules or Rules.default()
        self._local = threading.local()
        self._refs: RefIndex | None = None
        self._write_lock = threading.RLock()
        self._migrate()

    # -- connection ---------------------------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    @contextmanager
    def transaction(self):
        """One atomic write: everything inside commits together or not at all."""
        with self._write_lock:
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    def _migrate(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self.db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path} was written by a newer amtui (schema {version}); upgrade amtui"
            )
        if version < 1:
            with self.transaction():
                self._create_v1(db)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @staticmethod
    def _create_v1(db: sqlite_utils.Database) -> None:
        for tab in schema.TABS.values():
            db[tab.key].create({k: str for k in tab.keys}, pk="id", not_null={"id"})
            # The values each record had at the last sync, and its sheet row then.
            db[f"base_{tab.key}"].create(
                {"_row": int, "_hash": int, **{k: str for k in tab.keys}}, pk="id")
        db["edits"].create(
            {"seq": int, "at": str, "tab": str, "record_id": str, "op": str,
             "changes": str, "synced": int},
            pk="seq",
        )
        db["edits"].create_index(["synced"])
        db["conflicts"].create(
            {"id": int, "tab": str, "record_id": str, "field": str, "base": str,
             "mine": str, "theirs": str, "found_at": str, "status": str,
             "resolution": str, "resolved_at": str},
            pk="id",
        )
        db["problems"].create(
            {"id": int, "tab": str, "record_id": str, "field": str, "address": str,
             "value": str, "reason": str, "kind": str, "row": int},
            pk="id",
        )
        db["events"].create(
            {"seq": int, "at": str, "tab": str, "record_id": str, "field": str,
             "old": str, "new": str, "source": str},
            pk="seq",
        )
        db["events"].create_index(["at"])
        db["sync_runs"].create(
            {"id": int, "started": str, "finished": str, "ok": int, "summary": str,
             "error": str},
            pk="id",
        )
        db["meta"].create({"key": str, "value": str}, pk="key")
        db["projects"].create_index(["stage"])
        db["feedback"].create_index(["status"])

    # -- meta -------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    # -- reading ----------------------------------------------------------------------

    def records(self, tab: str, where: dict[str, str] | None = None) -> list[dict]:
        """All records of a tab as ``{field: text}`` dicts, in ID order.

        ``store.records("projects", {"stage": "Delivered"})`` filters on exact values.
        """
        _check_tab(tab)
        sql = f"SELECT * FROM [{tab}]"
        args: list[str] = []
        if where:
            fields = schema.TABS[tab].keys
            clauses = []
            for key, value in where.items():
                if key not in fields:
                    raise KeyError(f"{schema.TABS[tab].title} has no field {key!r}")
                clauses.append(f"[{key}] = ?")
                args.append(value)
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY id"
        cursor = self.db.execute(sql, args)
        columns = [c[0] for c in cursor.description]
        return [_clean(dict(zip(columns, row, strict=True))) for row in cursor]

    def records_by_tab(self) -> dict[str, list[dict]]:
        return {tab: self.records(tab) for tab in schema.TABS}

    def get(self, tab: str, record_id: str) -> dict | None:
        _check_tab(tab)
        cursor = self.db.execute(f"SELECT * FROM [{tab}] WHERE id = ?", [record_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return _clean(dict(zip([c[0] for c in cursor.description], row, strict=True)))

    def count(self, tab: str) -> int:
        _check_tab(tab)
        return self.db.execute(f"SELECT count(*) FROM [{tab}]").fetchone()[0]

    def refs(self) -> RefIndex:
        """Name → ID lookups for managers, clients and projects (cached until they change)."""
        if self._refs is None:
            self._refs = RefIndex({tab: self.records(tab) for tab in REF_TABS})
        return self._refs

    def _refs_changed(self, tab: str, fields=None) -> None:
        """Forget the name index when names may have changed (``fields``: what changed)."""
        if tab in REF_TABS and (fields is None or schema.TABS[tab].name_field in fields):
            self._refs = None

    # -- editing (each call is one transaction, recorded for the next sync) --------------

    def next_id(self, tab: str) -> str:
        prefix = schema.ID_PREFIX[tab]
        width = schema.ID_WIDTH[tab]
        rows = self.db.execute(
            f"SELECT id FROM [{tab}] WHERE id LIKE ?", [f"{prefix}-%"]
        ).fetchall()
        base_rows = self.db.execute(
            f"SELECT id FROM [base_{tab}] WHERE id LIKE ?", [f"{prefix}-%"]
        ).fetchall()
        highest = 0
        for (rid,) in [*rows, *base_rows]:
            tail = rid[len(prefix) + 1:]
            if tail.isdigit():
                highest = max(highest, int(tail))
        return f"{prefix}-{highest + 1:0{width}d}"

    def validate(self, tab: str, values: dict[str, str]) -> dict[str, str]:
        """Canonical values for an edit, or ``EditRejected`` with every reason."""
        _check_tab(tab)
        unknown = [k for k in values if k not in schema.TABS[tab].keys]
        if unknown:
            raise EditRejected([f"{schema.TABS[tab].title} has no field {k!r}" for k in unknown])
        canonical, reasons = prepare_edit(tab, dict(values), self.rules, self.refs())
        if reasons:
            raise EditRejected(reasons)
        return canonical

    def add(self, tab: str, values: dict[str, str], *, validate: bool = True) -> str:
        """Add a record; returns its new ID. ``store.add("feedback", {"rating": "5"})``."""
        values = self.validate(tab, values) if validate else dict(values)
        with self.transaction() as db:
            record = {k: "" for k in schema.TABS[tab].keys}
            record.update(values)
            if not record["id"]:
                record["id"] = self.next_id(tab)
            if self.get(tab, record["id"]) is not None:
                raise EditRejected([f"{schema.TABS[tab].title} already has ID {record['id']}"])
            db[tab].insert(record)
            self._log_edit(tab, record["id"], "add", record)
            self._event(tab, record["id"], "*", "", "created", "local")
        self._refs_changed(tab)
        return record["id"]

    def update(self, tab: str, record_id: str, changes: dict[str, str], *,
               validate: bool = True) -> Edit | None:
        """Change some fields of one record. Returns the edit, or None when nothing changed."""
        changes = self.validate(tab, changes) if validate else dict(changes)
        changes.pop("id", None)
        with self.transaction() as db:
            current = self.get(tab, record_id)
            if current is None:
                raise UnknownRecord(f"{schema.TABS[tab].title} has no record {record_id}")
            diff = {k: [current[k], v] for k, v in changes.items() if current[k] != v}
            if not diff:
                return None
            db[tab].update(record_id, {k: v[1] for k, v in diff.items()})
            edit = self._log_edit(tab, record_id, "update", diff)
            for key, (old, new) in diff.items():
                self._event(tab, record_id, key, old, new, "local")
        self._refs_changed(tab, diff)
        return edit

    def delete(self, tab: str, record_id: str) -> Edit:
        with self.transaction() as db:
            current = self.get(tab, record_id)
            if current is None:
                raise UnknownRecord(f"{schema.TABS[tab].title} has no record {record_id}")
            db[tab].delete(record_id)
            edit = self._log_edit(tab, record_id, "delete", current)
            self._event(tab, record_id, "*", "", "deleted", "local")
        self._refs_changed(tab)
        return edit

    def _log_edit(self, tab: str, record_id: str, op: str, changes: dict) -> Edit:
        at = now_iso()
        seq = self.db["edits"].insert({
            "at": at, "tab": tab, "record_id": record_id, "op": op,
            "changes": json.dumps(changes, ensure_ascii=False), "synced": 0,
        }).last_pk
        return Edit(seq, at, tab, record_id, op, changes)

    def _event(self, tab, record_id, field, old, new, source, at: str | None = None) -> None:
        self.db["events"].insert({
            "at": at or now_iso(), "tab": tab, "record_id": record_id, "field": field,
            "old": old, "new": new, "source": source,
        })

    def pending_edits(self) -> list[Edit]:
        """Local edits that no sync has carried to the sheet yet, oldest first."""
        rows = self.db.execute(
            "SELECT seq, at, tab, record_id, op, changes FROM edits WHERE synced = 0 ORDER BY seq"
        ).fetchall()
        return [Edit(s, a, t, r, o, json.loads(c)) for s, a, t, r, o, c in rows]

    def pending_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM edits WHERE synced = 0").fetchone()[0]

    def undo(self) -> Edit | None:
        """Revert the newest edit that has not been synced yet. Returns it, or None."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT seq, at, tab, record_id, op, changes FROM edits WHERE synced = 0 "
                "ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if row is None:
                return None
            edit = Edit(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))
            table = db[edit.tab]
            if edit.op == "add":
                table.delete(edit.record_id)
                self._event(edit.tab, edit.record_id, "*", "created", "deleted", "local")
            elif edit.op == "delete":
                table.insert(edit.changes)
                self._event(edit.tab, edit.record_id, "*", "deleted", "created", "local")
            else:
                table.update(edit.record_id, {k: old for k, (old, _new) in edit.changes.items()})
                for key, (old, new) in edit.changes.items():
                    self._event(edit.tab, edit.record_id, key, new, old, "local")
            db.execute("DELETE FROM edits WHERE seq = ?", [edit.seq])
        # an undone field edit changes names only if it touched the name field
        self._refs_changed(edit.tab, edit.changes if edit.op == "update" else None)
        return edit

    def bulk_load(self, records_by_tab: dict[str, list[dict]], *, synced_titles=None) -> None:
        """Fill empty tables fast (demo workspaces), with no edit log: the records are new.

        With ``synced_titles`` ({tab: sheet title}) the records are also recorded as the
        last synced state, row by row in the order given, as if a sync had just read them."""
        with self.transaction() as db:
            for tab, records in records_by_tab.items():
                db[tab].insert_all(records, batch_size=2000)
                if synced_titles is None:
                    continue
                db[f"base_{tab}"].insert_all(
                    ({**r, "_row": i + 2} for i, r in enumerate(records)), batch_size=2000)
                columns = {k: i for i, k in enumerate(schema.TABS[tab].keys)}
                self.set_meta_in(db, f"columns:{tab}", json.dumps(
                    {"title": synced_titles[tab], "columns": columns}, ensure_ascii=False))
        self._refs = None

    # -- events, conflicts, problems, sync runs -----------------------------------------

    def events(self, since: str | None = None, tab: str | None = None) -> list[dict]:
        """Observed changes (``since`` is an ISO date or datetime), oldest first."""
        sql, args = "SELECT at, tab, record_id, field, old, new, source FROM events", []
        clauses = []
        if since:
            clauses.append("at >= ?")
            args.append(since)
        if tab:
            clauses.append("tab = ?")
            args.append(tab)
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        cursor = self.db.execute(sql + " ORDER BY seq", args)
        keys = ("at", "tab", "record_id", "field", "old", "new", "source")
        return [dict(zip(keys, row, strict=True)) for row in cursor]

    def conflicts(self, *, open_only: bool = True) -> list[dict]:
        sql = "SELECT * FROM conflicts"
        if open_only:
            sql += " WHERE status = 'open'"
        cursor = self.db.execute(sql + " ORDER BY id")
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor]

    def conflict_count(self) -> int:
        return self.db.execute(
            "SELECT count(*) FROM conflicts WHERE status = 'open'"
        ).fetchone()[0]

    def resolve_conflict(self, conflict_id: int, choice: str, value: str | None = None) -> None:
        """Settle a conflict: ``"sheet"`` keeps the sheet's value, ``"mine"`` puts the local
        value back (pushed at the next sync), ``"value"`` sets a new one (pushed too).

        A row conflict (field ``"*"``: deleted on one side, edited on the other) takes
        ``"sheet"`` or ``"mine"``: the side whose state wins."""
        row = self.db.execute(
            "SELECT tab, record_id, field, mine, theirs FROM conflicts WHERE id = ? "
            "AND status = 'open'", [conflict_id]
        ).fetchone()
        if row is None:
            raise KeyError(f"no open conflict {conflict_id}")
        tab, record_id, field, mine, theirs = row
        if choice not in ("sheet", "mine", "value") or (field == "*" and choice == "value"):
            raise ValueError("choose sheet, mine or (for a field) a new value")
        if field == "*":
            self._resolve_row_conflict(tab, record_id, theirs, choice)
        elif choice != "sheet" and self.get(tab, record_id) is not None:
            new_value = mine if choice == "mine" else (value or "")
            canonical = self.validate(tab, {field: new_value})[field]
            self.update(tab, record_id, {field: canonical}, validate=False)
        with self.transaction() as db:
            db["conflicts"].update(conflict_id, {
                "status": "resolved", "resolution": choice, "resolved_at": now_iso(),
            })

    def _resolve_row_conflict(self, tab: str, record_id: str, theirs: str, choice: str) -> None:
        exists = self.get(tab, record_id) is not None
        if theirs == "deleted":  # deleted in the sheet, edited here
            if choice == "mine":
                # forget the base: the next sync sees a new local row and adds it back
                with self.transaction() as db:
                    db.execute(f"DELETE FROM [base_{tab}] WHERE id = ?", [record_id])
            elif exists:
                self.delete(tab, record_id)
        elif choice == "mine" and exists:  # deleted here, edited in the sheet
            self.delete(tab, record_id)

    def problems(self) -> list[dict]:
        """What the sync and the checks found, one entry per cell, in sheet order."""
        cursor = self.db.execute("SELECT * FROM problems ORDER BY tab, row, id")
        columns = [c[0] for c in cursor.description]
        return distinct_problems([dict(zip(columns, row, strict=True)) for row in cursor])

    def problem_count(self) -> int:
        return len(self.problems())

    def replace_problems(self, problems: list[dict], kinds: Iterable[str] | None = None) -> None:
        """Swap the stored problems of the given kinds (all when None) for a new list."""
        with self.transaction() as db:
            if kinds is None:
                db.execute("DELETE FROM problems")
            else:
                for kind in kinds:
                    db.execute("DELETE FROM problems WHERE kind = ?", [kind])
            if problems:
                db["problems"].insert_all(problems)

    def sync_runs(self, limit: int = 20) -> list[dict]:
        cursor = self.db.execute(
            "SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?", [limit]
        )
        columns = [c[0] for c in cursor.description]
        runs = [dict(zip(columns, row, strict=True)) for row in cursor]
        for run in runs:
            run["summary"] = json.loads(run["summary"] or "{}")
        return runs

    def last_successful_sync(self) -> str | None:
        row = self.db.execute(
            "SELECT finished FROM sync_runs WHERE ok = 1 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def record_sync_run(self, started: str, ok: bool, summary: dict, error: str = "") -> None:
        with self.transaction() as db:
            db["sync_runs"].insert({
                "started": started, "finished": now_iso(), "ok": int(ok),
                "summary": json.dumps(summary, ensure_ascii=False), "error": error,
            })


    # -- the sync's side (sync.runner.LocalSide) -----------------------------------------

    def sync_index(self, tab: str):
        """The cheap view of a tab for a sync (``sync.reconcile.TabIndex``): base rows and
        hashes, records edited here since the last sync, and a loader for the rest."""
        from sync.reconcile import TabIndex

        base_rows = {rid: (row, digest) for rid, row, digest in self.db.execute(
            f"SELECT id, _row, _hash FROM [base_{tab}]")}
        dirty = {r[0] for r in self.db.execute(
            "SELECT DISTINCT record_id FROM edits WHERE synced = 0 AND tab = ?", [tab])}
        dirty |= {r[0] for r in self.db.execute(
            f"SELECT id FROM [{tab}] WHERE id NOT IN (SELECT id FROM [base_{tab}])")}
        return TabIndex(base_rows, dirty, lambda ids: self._load_some(tab, ids)), \
            self._open_row_conflicts(tab)

    def _load_some(self, tab: str, ids: set[str]) -> tuple[dict, dict]:
        local: dict[str, dict] = {}
        base: dict[str, dict] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            marks = ",".join("?" * len(chunk))
            local.update(self._rows_by_id(f"SELECT * FROM [{tab}] WHERE id IN ({marks})", chunk))
            base.update(self._rows_by_id(
                f"SELECT * FROM [base_{tab}] WHERE id IN ({marks})", chunk))
        return local, base

    def _open_row_conflicts(self, tab: str) -> set[str]:
        return {r[0] for r in self.db.execute(
            "SELECT record_id FROM conflicts WHERE status = 'open' AND tab = ? AND field = '*'",
            [tab])}

    def _rows_by_id(self, sql: str, args=()) -> dict[str, dict]:
        cursor = self.db.execute(sql, list(args))
        columns = [c[0] for c in cursor.description]
        at = columns.index("id")
        rows = {}
        for row in cursor:
            record = dict(zip(columns, row, strict=True))
            if None in row:
                record = _clean(record)
            rows[row[at]] = record
        return rows

    def sync_start_seq(self) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM edits").fetchone()[0]

    def sync_ids(self, tab: str) -> set[str]:
        rows = self.db.execute(
            f"SELECT id FROM [{tab}] UNION SELECT id FROM [base_{tab}]").fetchall()
        return {r[0] for r in rows}

    def sync_commit(self, plans, skipped: dict[str, set[str]], started_seq: int,
                    summary: dict) -> None:
        """Apply what a sync read and wrote, in one transaction. A value a person changed in
        the app while the sync ran is left alone (compare-and-set on every pulled field)."""
        at = now_iso()
        with self.transaction() as db:
            for plan in plans:
                self._commit_tab(db, plan, skipped.get(plan.spec.key, set()), at)
            self._mark_synced(db, started_seq)
            db["sync_runs"].insert({
                "started": summary.get("started", at), "finished": at, "ok": 1,
                "summary": json.dumps(summary, ensure_ascii=False), "error": "",
            })
        # names and references only change when something moved; a quiet sync skips the check
        if any(p.pulls or p.inserts or p.local_deletes or p.pushed_ids or p.base_deletes
               for p in plans):
            self._refs = None
            self.revalidate()

    def _commit_tab(self, db, plan, skipped: set[str], at: str) -> None:
        tab = plan.spec.key
        table, base_table = db[tab], db[f"base_{tab}"]
        for record_id, key, old, new in plan.pulls:
            current = self.get(tab, record_id)
            if current is None or current[key] != old:
                plan.new_base.get(record_id, {}).pop(key, None)
                continue
            table.update(record_id, {key: new})
            self._event(tab, record_id, key, old, new, "sheet", at)
        for record in plan.inserts:
            if record["id"] in skipped or self.get(tab, record["id"]) is not None:
                continue
            table.insert(record)
            self._event(tab, record["id"], "*", "", "created", "sheet", at)
        for record in plan.local_deletes:
            if self.get(tab, record["id"]) == record:
                table.delete(record["id"])
                self._event(tab, record["id"], "*", "", "deleted", "sheet", at)
        landed = [
            fields | {"id": record_id}
            for record_id, fields in plan.new_base.items() if record_id not in skipped
        ]
        if landed:
            base_table.upsert_all(landed, pk="id")
        for record_id in plan.base_deletes:
            if record_id not in skipped:
                db.execute(f"DELETE FROM [base_{tab}] WHERE id = ?", [record_id])
        for conflict in plan.conflicts:
            db.execute("UPDATE conflicts SET status = 'superseded' WHERE status = 'open' "
                       "AND tab = ? AND record_id = ? AND field = ?",
                       [tab, conflict["record_id"], conflict["field"]])
            db["conflicts"].insert({**conflict, "found_at": at})
        self.set_meta_in(db, f"columns:{tab}", json.dumps(
            {"title": plan.spec.title, "columns": plan.columns}, ensure_ascii=False))
        # problems of rows this sync did not look at (unchanged since) stay as they were
        db.execute("DELETE FROM problems WHERE tab = ? AND kind = 'structure'", [tab])
        # ("" = rows without an ID yet: always looked at)
        looked_at = sorted(plan.parsed_ids | {p["record_id"] for p in plan.problems} | {""})
        for start in range(0, len(looked_at), 500):
            chunk = looked_at[start:start + 500]
            db.execute(f"DELETE FROM problems WHERE tab = ? AND kind IN ('sync', 'duplicate') "
                       f"AND record_id IN ({','.join('?' * len(chunk))})", [tab, *chunk])
        if plan.problems:
            db["problems"].insert_all(plan.problems)

    def _mark_synced(self, db, started_seq: int) -> None:
        """An edit is synced once its record is the same here and in the base (the sheet
        as last read): edits held back (missing header, guard, moved row) stay pending."""
        rows = db.execute("SELECT DISTINCT tab, record_id FROM edits WHERE synced = 0 "
                          "AND seq <= ?", [started_seq]).fetchall()
        for tab, record_id in rows:
            base = db.execute(f"SELECT * FROM [base_{tab}] WHERE id = ?", [record_id])
            columns = [c[0] for c in base.description]
            found = base.fetchone()
            base_record = None
            if found is not None:
                base_record = _clean(dict(zip(columns, found, strict=True)))
                base_record.pop("_row", None)
                base_record.pop("_hash", None)
            if base_record == self.get(tab, record_id):
                db.execute("UPDATE edits SET synced = 1 WHERE tab = ? AND record_id = ? "
                           "AND seq <= ?", [tab, record_id, started_seq])

    @staticmethod
    def set_meta_in(db, key: str, value: str) -> None:
        db["meta"].upsert({"key": key, "value": value}, pk="key")

    def revalidate(self) -> int:
        """Check every record against the rules (unknown names, bad values typed in the app's
        absence) and store what is wrong as problems with cell addresses. Returns the count."""
        from sync.spec import address

        issues = validate_all(self.records_by_tab(), self.rules)
        already = {(p["tab"], p["record_id"], p["field"]) for p in self.problems()
                   if p["kind"] != "validation"}
        layout = {tab: json.loads(self.get_meta(f"columns:{tab}") or "{}") for tab in schema.TABS}
        rows = {tab: dict(self.db.execute(f"SELECT id, _row FROM [base_{tab}]").fetchall())
                for tab in schema.TABS}
        problems = []
        for issue in issues:
            if (issue.tab, issue.record_id, issue.field) in already:
                continue
            where = layout.get(issue.tab) or {}
            row = rows[issue.tab].get(issue.record_id) or 0
            col = (where.get("columns") or {}).get(issue.field)
            title = where.get("title") or schema.TABS[issue.tab].title
            problems.append({
                "tab": issue.tab, "record_id": issue.record_id, "field": issue.field,
                "address": address(title, row, col) if row and col is not None
                else f"{title} {issue.record_id}",
                "value": issue.value, "reason": issue.reason, "kind": "validation",
                "row": row or 0,
            })
        self.replace_problems(problems, kinds=["validation"])
        return len(problems)


def distinct_problems(problems: list[dict]) -> list[dict]:
    """One entry per cell: should the sync and the rules check both report a cell, keep the
    report that names the record."""
    best: dict[tuple, dict] = {}
    for problem in problems:
        key = (problem["tab"], problem["address"], problem.get("field"), problem.get("value"))
        if key not in best or (problem.get("record_id") and not best[key].get("record_id")):
            best[key] = problem
    return list(best.values())


def _check_tab(tab: str) -> None:
    if tab not in schema.TABS:
        raise KeyError(f"unknown tab {tab!r}; tabs are {', '.join(schema.TABS)}")


def _clean(record: dict) -> dict:
    return {k: ("" if v is None else v) for k, v in record.items()}
