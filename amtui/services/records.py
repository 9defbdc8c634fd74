"""The record cache the screens read from, and the version counters that say what changed.

    records = RecordCache(store)
    records.get("projects")            # {id: record}, read once
    versions = DataVersions()
    versions.bump("projects")          # after an edit of a project
    versions.key("projects")           # changes whenever projects may have changed

No Textual here: the app wraps these in its reactive ``data_version``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amtui.core.store import Store


class RecordCache:
    """Records of the big tabs (projects, feedback) kept in memory as ``{id: record}``.

    The UI thread reads it and patches single records after local edits (``touch``); the
    sync worker reloads whole tabs in its thread after a sync that changed something. A
    reload that raced with a local edit is dropped (the next read loads again)."""

    def __init__(self, store: Store):
        self.store = store
        self.data: dict[str, dict[str, dict]] = {}
        self.generation: dict[str, int] = {}
        self.lock = threading.Lock()

    def get(self, tab: str) -> dict[str, dict]:
        data = self.data.get(tab)
        return data if data is not None else self.load(tab)

    def loaded(self) -> list[str]:
        return list(self.data)

    def load(self, tab: str) -> dict[str, dict]:
        """Read a tab from the store (any thread)."""
        with self.lock:
            generation = self.generation.get(tab, 0)
        data = {r["id"]: r for r in self.store.records(tab)}
        with self.lock:
            if self.generation.get(tab, 0) == generation:
                self.data[tab] = data
            else:  # edited meanwhile: what we read may miss that edit
                self.data.pop(tab, None)
        return data

    def touch(self, tab: str, record_id: str) -> None:
        """Re-read one record after a local change (UI thread)."""
        with self.lock:
            self.generation[tab] = self.generation.get(tab, 0) + 1
            data = self.data.get(tab)
        if data is None:
            return
        record = self.store.get(tab, record_id)
        if record is None:
            data.pop(record_id, None)
        else:
            data[record_id] = record

    def invalidate(self, tab: str | None = None) -> None:
        with self.lock:
            for key in [tab] if tab else list(self.data):
                self.generation[key] = self.generation.get(key, 0) + 1
                self.data.pop(key, None)


class DataVersions:
    """Counts changes per tab, and changes to anything (a sync counts for every tab)."""

    def __init__(self) -> None:
        self.per_tab: dict[str, int] = {}
        self.everything = 0

    def bump(self, tab: str | None = None) -> None:
        if tab:
            self.per_tab[tab] = self.per_tab.get(tab, 0) + 1
        else:
            self.everything += 1

    def key(self, *tabs: str) -> tuple[int, ...]:
        """Changes whenever data of these tabs may have changed: a screen that shows only
        them can skip reloading after edits elsewhere."""
        return (self.everything, *(self.per_tab.get(tab, 0) for tab in tabs))


class SyncCounts:
    """Pending edits, open conflicts and problems, read once per data version (the status
    bar asks at every repaint)."""

    def __init__(self, store: Store):
        self.store = store
        self.version: object = None
        self.counts = (0, 0, 0)

    def get(self, version: object) -> tuple[int, int, int]:
        """(pending, conflicts, problems) as of ``version``."""
        if version != self.version:
            store = self.store
            self.counts = (store.pending_count(), store.conflict_count(),
                           store.problem_count())
            self.version = version
        return self.counts
