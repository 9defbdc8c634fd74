"""What every amtui screen shares: reloading on new data, and one guard that turns an
exception in a key handler into a notification instead of a dead app.

    class BoardScreen(DataScreen):
        def reload(self) -> None: ...        # called when data changed and we are visible
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from amtui.domain.i18n import N_

if TYPE_CHECKING:
    from amtui.domain.period import Period
    from amtui.ui.protocol import AmtuiHost


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


def load_then(app: AmtuiHost, load: Callable[[Any], object], then: Callable[[], object]) -> None:
    """In a thread worker: ``load(app)``, then ``then()`` on the app's thread unless the
    worker was cancelled meanwhile.

        @work(thread=True, exclusive=True, group="kpis-load")
        def load_in_background(self) -> None:
            load_then(self.app, kpi_data, self.refresh_table)

    The thread's own database connection is closed after: one left open keeps the
    ``-wal`` file, and then no board frame is kept at quit."""
    try:
        load(app)
    finally:
        app.store.close()  # this thread's connection
    if not get_current_worker().is_cancelled:
        app.call_from_thread(then)


class DataScreen(Screen):
    """A screen that shows store data: ``reload()`` runs when the data changed, right away
    when the screen is visible, else when it is shown again. The cursor and any open form
    are the screen's to keep (reload must not reset them)."""

    app: AmtuiHost

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen_version = -1

    def on_mount(self) -> None:
        self.watch(self.app, "data_version", self.data_changed, init=False)

    def data_changed(self, version: int) -> None:
        if self.is_active:
            # one step since the last reload: app.last_change says what changed
            full = version != self.seen_version + 1
            self.seen_version = version
            self.safe_reload(full=full)
        # else: reloaded in on_screen_resume

    def on_screen_resume(self) -> None:
        if self.seen_version != self.app.data_version:
            self.seen_version = self.app.data_version
            self.safe_reload(full=True)

    def safe_reload(self, full: bool = False) -> None:
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


def period_bindings(prefix: str) -> list[Binding]:
    """``[`` ``]`` and ``p`` for a view with a period (ids ``<prefix>.prev_period`` ...)."""
    return [
        Binding("left_square_bracket", "prev_period", N_("Prev period"),
                id=f"{prefix}.prev_period"),
        Binding("right_square_bracket", "next_period", N_("Next period"),
                id=f"{prefix}.next_period"),
        Binding("p", "toggle_period", N_("Month/quarter"), id=f"{prefix}.toggle_period"),
    ]


class PeriodSteps:
    """Stepping ``self.period`` by month or quarter (mixed into a screen or widget):
    ``show_period(period)`` shows the new one."""

    period: Period | None

    def show_period(self, period: Period) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    @guarded
    def action_prev_period(self) -> None:
        if self.period is not None:
            self.show_period(self.period.prev())

    @guarded
    def action_next_period(self) -> None:
        if self.period is not None:
            self.show_period(self.period.next())

    @guarded
    def action_toggle_period(self) -> None:
        if self.period is not None:
            self.show_period(self.period.toggled(self.app.today))
