"""The local store: edits are recorded for the next sync, undo, migrations, unreadable values."""

from __future__ import annotations

import sqlite3

import pytest

from amtui.core.store import MIGRATIONS, EditRejected, Store, StoreReadOnly, UnknownConflict
from tests.readonly import read_only


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "amtui.db")
    yield s
    s.close()


def test_add_update_records_pending_edits_and_events(store):
    mid = store.add("managers", {"name": "Li Wei", "status": "active"})
    assert store.get("managers", mid)["status"] == "Active"  # canonical spelling
    pid = store.add("projects", {"project": "Spring launch", "manager": "li  wei",
                                 "stage": "intake", "due": "2026/11/30"})
    store.update("projects", pid, {"stage": "Planning"})
    project = store.get("projects", pid)
    assert (project["stage"], project["due"]) == ("Planning", "2026-11-30")
    assert [e.op for e in store.pending_edits()] == ["add", "add", "update"]
    moves = [e for e in store.events(tab="projects") if e["field"] == "stage"]
    assert moves[-1]["old"] == "Intake" and moves[-1]["new"] == "Planning"


def test_invalid_edit_is_refused_and_nothing_changes(store):
    fid = store.add("feedback", {"rating": "4", "text": "ok"})
    with pytest.raises(EditRejected) as err:
        store.update("feedback", fid, {"rating": "9", "text": "changed"})
    assert "rating must be 1 to 5" in str(err.value)
    assert store.get("feedback", fid)["rating"] == "4"
    assert store.get("feedback", fid)["text"] == "ok"
    assert store.pending_count() == 1


def test_undo_reverts_update_add_and_delete(store):
    pid = store.add("projects", {"project": "A"})
    store.update("projects", pid, {"project": "B"})
    store.delete("projects", pid)
    assert store.get("projects", pid) is None
    assert store.undo().op == "delete"
    assert store.get("projects", pid)["project"] == "B"
    assert store.undo().op == "update"
    assert store.get("projects", pid)["project"] == "A"
    assert store.undo().op == "add"
    assert store.get("projects", pid) is None
    assert store.undo() is None


def test_unknown_field_is_refused(store):
    with pytest.raises(EditRejected):
        store.add("projects", {"colour": "red"})


def test_unknown_manager_is_refused_with_reason(store):
    with pytest.raises(EditRejected) as err:
        store.add("projects", {"project": "X", "manager": "Nobody"})
    assert "Nobody" in str(err.value)


def test_schema_version_and_wal(store, tmp_path):
    conn = sqlite3.connect(tmp_path / "amtui.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(RuntimeError, match="newer amtui"):
        Store(path)


def test_reopening_keeps_data(tmp_path):
    first = Store(tmp_path / "a.db")
    pid = first.add("projects", {"project": "Keep me"})
    first.close()
    again = Store(tmp_path / "a.db")
    assert again.get("projects", pid)["project"] == "Keep me"


def test_unparseable_value_survives_round_trip_and_is_reported(store):
    # a value typed in the sheet arrives through the sync without validation
    store.bulk_load({"projects": [{"id": "P-0001", "project": "X", "due": "next Friday",
                                   "stage": "Intake"}]},
                    synced_titles={"projects": "Projects"})
    assert store.get("projects", "P-0001")["due"] == "next Friday"
    assert store.revalidate() == 1
    problem = store.problems()[0]
    assert problem["value"] == "next Friday"
    assert problem["address"] == "Projects!I2"
    assert "not a date" in problem["reason"]
    # editing another field leaves the unreadable value exactly as typed
    store.update("projects", "P-0001", {"project": "Y"})
    assert store.get("projects", "P-0001")["due"] == "next Friday"


def test_read_only_database_raises_one_clear_error_and_changes_nothing(tmp_path):
    path = tmp_path / "amtui.db"
    first = Store(path)
    pid = first.add("projects", {"project": "Keep me"})
    first.close()
    with read_only(path):
        store = Store(path)  # opened read-only, as when amtui starts on such a file
        assert store.get("projects", pid)["project"] == "Keep me"  # reading still works
        with pytest.raises(StoreReadOnly) as err:
            store.update("projects", pid, {"project": "Changed"})
        with pytest.raises(StoreReadOnly):
            store.check_writable()
        assert store.get("projects", pid)["project"] == "Keep me"
        assert store.pending_count() == 1
        store.close()
    assert err.value.path == path
    assert str(path) in str(err.value) and f"chmod u+w {path}" in str(err.value)
    store = Store(path)
    store.check_writable()  # writable again: no error, and the check wrote nothing
    assert store.get_meta("write-check") is None
    store.close()


def test_read_only_folder_is_named_with_its_fix(tmp_path):
    store = Store(tmp_path / "amtui.db")
    with read_only(tmp_path), pytest.raises(StoreReadOnly) as err:
        store.check_writable()
    assert f"chmod u+w {tmp_path}" in str(err.value) and "-wal" in str(err.value)
    store.close()


def test_migrations_are_recorded_by_name(store, tmp_path):
    applied = [r["name"] for r in store.db["migrations"].rows]
    assert applied == [name for name, _step in MIGRATIONS]


def test_database_from_before_the_migrations_table_opens_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.db"
    old = Store(path)
    pid = old.add("projects", {"project": "From an older amtui"})
    # as older amtui left it: schema 1 in user_version only, none of the later tables
    old.db["migrations"].drop()
    for table in ("notify_log", "notify_alerts", "notify_seen"):
        old.db[table].drop()
    old.db.execute("PRAGMA user_version = 1")
    old.close()
    again = Store(path)
    assert again.get("projects", pid)["project"] == "From an older amtui"
    assert [r["name"] for r in again.db["migrations"].rows] == [n for n, _s in MIGRATIONS]
    assert again.db["notify_log"].exists()
    assert again.pending_count() == 1


def test_unknown_conflict_message_has_no_quotes(store):
    with pytest.raises(UnknownConflict) as err:
        store.resolve_conflict(999, "sheet")
    assert str(err.value) == "no open conflict 999"
