"""What every amtui screen shares: the record cache, reloading on new data, and one guard
that turns an exception in a key handler into a notification instead of a dead app.

    class BoardScreen(DataScreen):
        def reload(self) -> None: ...        # called when data changed and we are visible
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

if TYPE_CHECKING:
    from amtui.core.store import Store
    from amtui.ui.app import AmtuiApp


def guarded(method: Callable) -> Callable:
    """Run a handler; any exception goes to ``app.report_error`` (the one error handler)
    rather than killing the widget's message loop, so bad data never ends the app."""

    @functools.wraps(method)
    def wrapper(self, *args: Any, **kwargs: Any):
        try:
            return method(self, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - reported to the person, logged
            self.app.report_error(err, context=method.__name__)
            return None

    return wrapper


class RecordCache:
    """Records of the big tabs (projects, feedback) kept in memory as ``{id: record}``.

    The UI thread reads it and patches single records after local edits (``touch``); the
    sync worker reloads whole tabs in its thread after a sync that changed something. A
    reload that raced with a local edit is dropped (the next read loads again)."""

    def __init__(self, store: Store):
        self.store = store
        self._data: dict[str, dict[str, dict]] = {}
        self._generation: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, tab: str) -> dict[str, dict]:
        data = self._data.get(tab)
        return data if data is not None else self.load(tab)

    def loaded(self) -> list[str]:
        return list(self._data)

    def load(self, tab: str) -> dict[str, dict]:
        """Read a tab from the store (any thread)."""
        with self._lock:
            generation = self._generation.get(tab, 0)
        data = {r["id"]: r for r in self.store.records(tab)}
        with self._lock:
            if self._generation.get(tab, 0) == generation:
                self._data[tab] = data
            else:  # edited meanwhile: what we read may miss that edit
                self._data.pop(tab, None)
        return data

    def touch(self, tab: str, record_id: str) -> None:
        """Re-read one record after a local change (UI thread)."""
        with self._lock:
            self._generation[tab] = self._generation.get(tab, 0) + 1
            data = self._data.get(tab)
        if data is None:
            return
        record = self.store.get(tab, record_id)
        if record is None:
            data.pop(record_id, None)
        else:
            data[record_id] = record

    def invalidate(self, tab: str | None = None) -> None:
        with self._lock:
            for key in [tab] if tab else list(self._data):
                self._generation[key] = self._generation.get(key, 0) + 1
                self._data.pop(key, None)


class DataScreen(Screen):
    """A screen that shows store data: ``reload()`` runs when the data changed, right away
    when the screen is visible, else when it is shown again. The cursor and any open form
    are the screen's to keep (reload must not reset them)."""

    app: AmtuiApp

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._seen_version = -1
        # A new screen is styled as it mounts; without this Textual restyles the whole app
        # (every screen, ~0.2-0.4 s) the first time each mode is opened.
        try:
            self._css_update_count = self.app._css_update_count
        except Exception:  # noqa: BLE001 - no running app (constructed in a test)
            pass

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self._data_changed, init=False)

    def _data_changed(self, version: int) -> None:
        if self.is_active:
            # one step since the last reload: app.last_change says what changed
            full = version != self._seen_version + 1
            self._seen_version = version
            self._safe_reload(full=full)
        # else: reloaded in on_screen_resume

    def on_screen_resume(self) -> None:
        if self._seen_version != self.app.data_version:
            self._seen_version = self.app.data_version
            self._safe_reload(full=True)

    def _safe_reload(self, full: bool = False) -> None:
        try:
            self.reload(full=full)
        except Exception as err:  # noqa: BLE001
            self.app.report_error(err, context=f"{type(self).__name__}.reload")

    @property
    def is_active(self) -> bool:
        """Visible, or under a modal (a form) opened from it."""
        try:
            stack = self.app.screen_stack
        except Exception:  # noqa: BLE001 - not mounted in an app any more
            return False
        return self in stack

    def reload(self, full: bool = False) -> None:  # pragma: no cover - overridden
        """Show the current data. ``full``: the screen may have missed several changes."""
