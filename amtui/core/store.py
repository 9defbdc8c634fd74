"""The local store: one SQLite file (through sqlite-utils) that the CLI, the app and the sync share.

Every record kind of the sheet has a table of the same key (``projects``, ``feedback``...),
one TEXT column per field. Beside them live the sync's bookkeeping:

- ``base_<tab>``: each record's field values as last synced, and its sheet row then;
- ``edits``: every local edit, one row per edit, ``synced = 0`` until a sync carried it;
- ``conflicts``: fields changed differently on both sides, kept until a person decides;
- ``problems``: values and structure the sync could not read, with their cell address;
- ``events``: observed changes (local edits and what a sync pulled), for the standup;
- ``sync_runs``: one row per sync with its counts;
- ``meta``: small settings (sheet layout, ...);
- ``migrations``: the name of every schema step applied to this file.

Usage::

    store = Store("amtui.db")
    pid = store.add("projects", {"project": "Spring launch", "stage": "Intake"})
    store.update("projects", pid, {"stage": "Planning"})
    store.undo()          # back to Intake; the edit is gone from what the next sync pushes

No UI imports here: the app reads through this API and never writes SQL itself.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlite_utils

from amtui.domain import i18n, schema
from amtui.domain.i18n import _
from amtui.domain.rules import Rules
from amtui.domain.validate import (
    RefIndex,
    edit_refusals,
    prepare_edit,
    shown_reason,
    validate_all,
)

REF_TABS = ("managers", "clients", "projects")


class StoreError(RuntimeError):
    """The database file cannot be used; the message names the file and what to do."""


class StoreReadOnly(StoreError):
    """amtui may read the database but not write it (the file, or its folder where SQLite
    keeps the ``-wal``/``-shm`` files, is read-only). Nothing was saved by the failed call.

    ``StoreReadOnly(path)``; ``.path`` is the database file, ``.folder`` its folder."""

    def __init__(self, path: str | Path, *, folder: bool = False):
        self.path = Path(path)
        self.folder = self.path.parent
        if folder:
            what = _("the folder of the database {path} is read-only (SQLite keeps its "
                     "{name}-wal and -shm files there)").format(path=self.path,
                                                                name=self.path.name)
            fix = f"chmod u+w {self.folder}"
        else:
            what = _("the database {path} is read-only").format(path=self.path)
            fix = _("chmod u+w {path}, and check you may write to its folder {folder}").format(
                path=self.path, folder=self.folder)
        super().__init__(_("{what}; fix: {fix} (see Troubleshooting in the README). "
                           "Nothing was saved.").format(what=what, fix=fix))


def _writable_folder(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _is_read_only(err: sqlite3.Error) -> bool:
    name = getattr(err, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_READONLY") or "readonly database" in str(err)


class EditRejected(ValueError):
    """An edit with values that do not parse; ``reasons`` says which and why."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class UnknownRecord(KeyError):
    pass


class UnknownConflict(KeyError):
    """``resolve_conflict`` with an ID that is not an open conflict."""

    def __init__(self, conflict_id: int):
        super().__init__(conflict_id)
        self.conflict_id = conflict_id

    def __str__(self) -> str:  # KeyError's own str() quotes its argument
        return _("no open conflict {id}").format(id=self.conflict_id)


@dataclass(frozen=True)
class Edit:
    seq: int
    at: str
    tab: str
    record_id: str
    op: str  # add | update | delete
    changes: dict  # field -> [old, new]; for add/delete the whole record


class _RollBack(Exception):
    pass


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
        self._refs_version = 0  # bumped when names may change (a thread building refs checks)
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
        """One atomic write: everything inside commits together or not at all. A database
        that cannot be written raises ``StoreReadOnly`` (and nothing is written)."""
        with self._write_lock, self.readable_errors():
            conn = self.db.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def readable_errors(self):
        """Turn SQLite's "attempt to write a readonly database" (and "unable to open" in a
        folder amtui may not write) into ``StoreReadOnly`` naming the file and the fix."""
        try:
            yield
        except sqlite3.OperationalError as err:
            if _is_read_only(err):
                raise StoreReadOnly(self.path, folder=not _writable_folder(self.path.parent)
                                    and os.access(self.path, os.W_OK)) from err
            if "unable to open" in str(err) and not _writable_folder(self.path.parent):
                raise StoreReadOnly(self.path, folder=True) from err
            raise

    def check_writable(self) -> None:
        """Raise ``StoreReadOnly`` unless an edit could be saved now: a real write, rolled
        back, to the file, and a file created (and removed) in its folder."""
        if not _writable_folder(self.path.parent):
            raise StoreReadOnly(self.path, folder=True)
        try:
            with self.transaction() as db:
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('write-check', '1')")
                raise _RollBack  # a check writes nothing
        except _RollBack:
            pass

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    def _migrate(self) -> None:
        """Apply the schema steps this file lacks, each once, recorded by name in the
        ``migrations`` table. A file from before that table (schema in ``PRAGMA
        user_version``) counts as having the steps up to its version."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.readable_errors():
            db = self.db
            version = db.execute("PRAGMA user_version").fetchone()[0]
            applied = ([r["name"] for r in db["migrations"].rows]
                       if db["migrations"].exists() else [n for n, _s in MIGRATIONS[:version]])
        known = [name for name, _step in MIGRATIONS]
        if version > len(MIGRATIONS) or any(name not in known for name in applied):
            raise StoreError(_("{path} was written by a newer amtui (schema {version}); "
                               "upgrade amtui").format(path=self.path, version=version))
        todo = [(n, step) for n, step in MIGRATIONS if n not in applied]
        if not todo and db["migrations"].exists():
            return
        try:
            self._apply(db, applied, todo)
        except StoreReadOnly:
            if todo:
                raise
            # a file from before the migrations table, which we may not write: it still
            # reads fine, and gets the table the first time it is writable

    def _apply(self, db, applied: list[str], todo: list) -> None:
        with self.transaction():
            if not db["migrations"].exists():
                db["migrations"].create({"name": str, "applied_at": str}, pk="name")
                db["migrations"].insert_all(
                    {"name": n, "applied_at": now_iso()} for n in applied)
            for name, step in todo:
                step(db)
                db["migrations"].insert({"name": name, "applied_at": now_iso()})
            # kept in step so that an older amtui, which reads only this, refuses the file
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    @staticmethod
    def create_initial(db: sqlite_utils.Database) -> None:
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

    @staticmethod
    def create_reminders(db: sqlite_utils.Database) -> None:
        """Reminders (amtui.services.notify): what was sent where, and the Alerts list."""
        db["notify_log"].create(
            {"id": int, "rule": str, "record": str, "key": str, "target": str, "sent_at": str,
             "result": str, "attempts": int, "next_try": str, "error": str}, pk="id")
        db["notify_log"].create_index(["key", "target"], unique=True)
        db["notify_alerts"].create(
            {"key": str, "rule": str, "tab": str, "record_id": str, "manager": str,
             "data": str, "first_seen": str, "status": str, "snooze_until": str}, pk="key")
        db["notify_seen"].create({"ref": str, "first_seen": str}, pk="ref")

    # -- meta -------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        try:
            return self.db["meta"].get(key)["value"]
        except sqlite_utils.db.NotFoundError:
            return default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db["meta"].upsert({"key": key, "value": value}, pk="key")

    # -- reading ----------------------------------------------------------------------

    def records(self, tab: str, where: dict[str, str] | None = None) -> list[dict]:
        """All records of a tab as ``{field: text}`` dicts, in ID order.

        ``store.records("projects", {"stage": "Delivered"})`` filters on exact values.
        """
        _check_tab(tab)
        clauses: list[str] = []
        args: list[str] = []
        for key, value in (where or {}).items():
            if key not in schema.TABS[tab].keys:
                raise KeyError(_("{tab} has no field {name}").format(
                    tab=schema.tab_label(tab), name=repr(key)))
            clauses.append(f"[{key}] = ?")
            args.append(value)
        rows = self.db[tab].rows_where(" AND ".join(clauses) or None, args, order_by="id")
        return [_clean(row) for row in rows]

    def records_by_tab(self) -> dict[str, list[dict]]:
        return {tab: self.records(tab) for tab in schema.TABS}

    def get(self, tab: str, record_id: str) -> dict | None:
        _check_tab(tab)
        try:
            return _clean(self.db[tab].get(record_id))
        except sqlite_utils.db.NotFoundError:
            return None

    def count(self, tab: str) -> int:
        _check_tab(tab)
        return self.db[tab].count

    def refs(self) -> RefIndex:
        """Name → ID lookups for managers, clients and projects (cached until they change)."""
        refs = self._refs
        if refs is None:
            version = self._refs_version
            refs = RefIndex({tab: self.records(tab) for tab in REF_TABS})
            if version == self._refs_version:  # no name changed while it was read
                self._refs = refs
        return refs

    def _refs_changed(self, tab: str, fields=None) -> None:
        """Forget the name index when names may have changed (``fields``: what changed)."""
        if tab in REF_TABS and (fields is None or schema.TABS[tab].name_field in fields):
            self._refs = None
            self._refs_version += 1

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
            raise EditRejected([_("{tab} has no field {name}").format(
                tab=schema.tab_label(tab), name=repr(k)) for k in unknown])
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
            if validate and (refused := edit_refusals(tab, None, None, record)):
                raise EditRejected(refused)  # the one required-field rule (domain)
            if not record["id"]:
                record["id"] = self.next_id(tab)
            if self.get(tab, record["id"]) is not None:
                raise EditRejected([_("{tab} already has ID {id}").format(
                    tab=schema.tab_label(tab), id=record["id"])])
            db[tab].insert(record)
            self._log_edit(tab, record["id"], "add", record)
            self._event(tab, record["id"], "*", "", "created", "local")
        self._refs_changed(tab)
        return record["id"]

    def update(self, tab: str, record_id: str, changes: dict[str, str], *,
               validate: bool = True) -> Edit | None:
        """Change some fields of one record. Returns the edit, or None when nothing changed."""
        changes = self.validate(tab, changes) if validate else dict(changes)
        with self.transaction() as db:
            current = self.get(tab, record_id)
            if current is None:
                raise UnknownRecord(_("{tab} has no record {id}").format(
                    tab=schema.tab_label(tab), id=record_id))
            if validate and (refused := edit_refusals(tab, record_id, current, changes)):
                raise EditRejected(refused)  # an ID change, a required field left blank
            changes.pop("id", None)
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
                raise UnknownRecord(_("{tab} has no record {id}").format(
                    tab=schema.tab_label(tab), id=record_id))
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
        rows = self.db["edits"].rows_where("synced = 0", order_by="seq")
        return [_edit(row) for row in rows]

    def pending_count(self) -> int:
        return self.db["edits"].count_where("synced = 0")

    def undo(self) -> Edit | None:
        """Revert the newest edit that has not been synced yet. Returns it, or None."""
        with self.transaction() as db:
            rows = list(db["edits"].rows_where("synced = 0", order_by="seq DESC", limit=1))
            if not rows:
                return None
            edit = _edit(rows[0])
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

    def forget_sync_base(self) -> int:
        """Forget what the last sync saw in the sheet (for a sheet re-created empty): every
        record then counts as new here, and the next sync appends it. Returns how many
        records the store holds."""
        with self.transaction() as db:
            for tab in schema.TABS:
                db.execute(f"DELETE FROM [base_{tab}]")
        return sum(self.count(tab) for tab in schema.TABS)

    # -- events, conflicts, problems, sync runs -----------------------------------------

    def events(self, since: str | None = None, tab: str | None = None) -> list[dict]:
        """Observed changes (``since`` is an ISO date or datetime), oldest first."""
        clauses, args = [], []
        if since:
            clauses.append("at >= ?")
            args.append(since)
        if tab:
            clauses.append("tab = ?")
            args.append(tab)
        return list(self.db["events"].rows_where(
            " AND ".join(clauses) or None, args, order_by="seq",
            select="at, tab, record_id, field, old, new, source"))

    def conflicts(self, *, open_only: bool = True) -> list[dict]:
        return list(self.db["conflicts"].rows_where(
            "status = 'open'" if open_only else None, order_by="id"))

    def conflict_count(self) -> int:
        return self.db["conflicts"].count_where("status = 'open'")

    def resolve_conflict(self, conflict_id: int, choice: str, value: str | None = None) -> None:
        """Settle a conflict: ``"sheet"`` keeps the sheet's value, ``"mine"`` puts the local
        value back (pushed at the next sync), ``"value"`` sets a new one (pushed too).

        A row conflict (field ``"*"``: deleted on one side, edited on the other) takes
        ``"sheet"`` or ``"mine"``: the side whose state wins."""
        found = list(self.db["conflicts"].rows_where(
            "id = ? AND status = 'open'", [conflict_id],
            select="tab, record_id, field, mine, theirs"))
        if not found:
            raise UnknownConflict(conflict_id)
        tab, record_id, field, mine, theirs = found[0].values()
        if choice not in ("sheet", "mine", "value") or (field == "*" and choice == "value"):
            raise ValueError(_("choose sheet, mine or (for a field) a new value"))
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
        """What the sync and the checks found, one entry per cell, in sheet order; each
        ``reason`` in the UI's language (the store keeps it in English: see
        ``amtui.domain.validate.reason_in``)."""
        found = distinct_problems(list(self.db["problems"].rows_where(order_by="tab, row, id")))
        for problem in found:
            problem["reason"] = shown_reason(problem.get("reason") or "")
        return found

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
        runs = list(self.db["sync_runs"].rows_where(order_by="id DESC", limit=limit))
        for run in runs:
            run["summary"] = json.loads(run["summary"] or "{}")
        return runs

    def last_successful_sync(self) -> str | None:
        rows = list(self.db["sync_runs"].rows_where(
            "ok = 1", order_by="id DESC", limit=1, select="finished"))
        return rows[0]["finished"] if rows else None

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
        return {row["id"]: _clean(row) for row in self.db.query(sql, list(args))}

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
        as last read): edits held back (missing header, guard, moved row) stay pending.

        Every pending edit is compared, not only those older than ``started_seq``: an edit
        made while the sheet was being read is already in the plan (the plan reads the
        store after the sheet), so its row may have landed; the comparison alone says
        whether it did. (Limiting this to ``started_seq`` left such an added row "1
        pending" until the next sync: issue 13 #16.) This runs inside the commit's
        transaction, so no edit can slip in between the comparison and the mark."""
        del started_seq  # kept in the signature for sync.runner.LocalSide
        rows = db.execute("SELECT DISTINCT tab, record_id FROM edits WHERE synced = 0"
                          ).fetchall()
        for tab, record_id in rows:
            base_record = None
            try:
                base_record = _clean(db[f"base_{tab}"].get(record_id))
                base_record.pop("_row", None)
                base_record.pop("_hash", None)
            except sqlite_utils.db.NotFoundError:
                pass
            if base_record == self.get(tab, record_id):
                db.execute("UPDATE edits SET synced = 1 WHERE synced = 0 AND tab = ? "
                           "AND record_id = ?", [tab, record_id])

    @staticmethod
    def set_meta_in(db, key: str, value: str) -> None:
        db["meta"].upsert({"key": key, "value": value}, pk="key")

    def revalidate(self) -> int:
        """Check every record against the rules (unknown names, bad values typed in the app's
        absence) and store what is wrong as problems with cell addresses. Returns the count."""
        from sync.spec import address

        with i18n.speaking("en"):  # kept in English, shown in the UI's language
            issues = validate_all(self.records_by_tab(), self.rules)
        # the cells the sync already reported (their reasons are not needed, only where)
        already = {(p["tab"], p["record_id"], p["field"]) for p in self.db["problems"].rows_where(
            "kind != 'validation'", select="tab, record_id, field")}
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


# The schema, step by step: append a step, never change one that has shipped.
MIGRATIONS: list[tuple[str, Callable[[sqlite_utils.Database], None]]] = [
    ("0001_initial", Store.create_initial),
    ("0002_reminders", Store.create_reminders),
]


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
        raise KeyError(_("unknown tab {tab}; tabs are {tabs}").format(
            tab=repr(tab), tabs=", ".join(schema.TABS)))


def _edit(row: dict) -> Edit:
    return Edit(row["seq"], row["at"], row["tab"], row["record_id"], row["op"],
                json.loads(row["changes"]))


def _clean(record: dict) -> dict:
    return {k: ("" if v is None else v) for k, v in record.items()}
