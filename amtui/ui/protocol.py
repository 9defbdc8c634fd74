"""What screens and widgets may ask of the app: a small protocol, so they depend on this
and not on the concrete ``AmtuiApp`` (which imports the screens).

    class BoardScreen(DataScreen):
        app: AmtuiHost          # (DataScreen declares it)
        ...
        self.app.edit("projects", record_id, {"stage": "Delivered"})

The one list of modes lives here too: the app builds its ``MODES`` from it and the status
bar draws its tabs from it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from amtui.domain.i18n import N_

if TYPE_CHECKING:
    from amtui.core.store import Store
    from amtui.core.workspace import Workspace
    from amtui.domain.rules import Rules
    from amtui.services.records import RecordCache

# (mode, tab label (translated where shown), module, screen class): the order of the number keys 1-5
MODES: tuple[tuple[str, str, str, str], ...] = (
    ("board", N_("Board"), "amtui.ui.screens.board", "BoardScreen"),
    ("inbox", N_("Inbox"), "amtui.ui.screens.inbox", "InboxScreen"),
    ("kpis", N_("KPIs"), "amtui.ui.screens.kpis", "KpisScreen"),
    ("people", N_("People"), "amtui.ui.screens.people", "PeopleScreen"),
    ("standup", N_("Standup"), "amtui.ui.screens.standup", "StandupScreen"),
    ("timeline", N_("Timeline"), "amtui.ui.screens.timeline", "TimelineScreen"),
)


class AmtuiHost(Protocol):
    """The app as the screens see it."""

    workspace: Workspace
    store: Store
    records: RecordCache
    rules: Rules
    today: date
    clock: Callable[[], datetime]
    data_version: int
    fresh_version: int  # moves when records changed in the sheet start or stop being fresh
    last_change: tuple[str, str] | None
    sync_state: Any
    autosync: bool

    # the one edit path
    def edit(self, tab: str, record_id: str, changes: dict[str, str]) -> bool: ...
    def edit_reason(self, tab: str, record_id: str, changes: dict[str, str]) -> str | None: ...
    def add_record(self, tab: str, values: dict[str, str]) -> str | None: ...
    def resolve_conflict(self, conflict: dict, choice: str, value: str | None = None) -> bool: ...
    def revalidate(self) -> None: ...
    def changed(self, tab: str | None = None, record_id: str | None = None) -> None: ...

    # reading
    def versions(self, *tabs: str) -> tuple[int, ...]: ...
    def sync_counts(self) -> tuple[int, int, int]: ...
    def is_fresh(self, tab: str, record_id: str) -> bool: ...

    # navigation and the sheet
    def open_record(self, tab: str, record_id: str) -> None: ...
    def open_form(self, form: Any, callback: Callable[[Any], object] | None = None) -> Any: ...
    def form_context(self) -> tuple: ...
    def uses_google(self) -> bool: ...
    def sheet_label(self) -> str: ...
    def backend_for_links(self) -> Any: ...
    def report_error(self, err: BaseException, context: str = "") -> None: ...
