"""Every message the amtui UI posts: the sync worker's progress and result, and the
scorecard's close. Handlers are named after them (``on_sync_finished``...)."""

from __future__ import annotations

from textual.message import Message

from amtui.domain.period import Period


class SyncProgress(Message):
    """The sync worker entered a phase (reading, reconciling, writing, saving)."""

    def __init__(self, phase: str, info: dict):
        super().__init__()
        self.phase, self.info = phase, info


class SyncFinished(Message):
    def __init__(self, report, changed: bool, last_ok: str | None):
        super().__init__()
        self.report, self.changed, self.last_ok = report, changed, last_ok


class RemindersFound(Message):
    """The reminder rules ran after a sync (``amtui.services.notify.NotifyResult``)."""

    def __init__(self, result):
        super().__init__()
        self.result = result


class LiveChecked(Message):
    """A live check found nothing to sync (no Sheets request was made)."""


class SyncFailed(Message):
    def __init__(self, error: BaseException):
        super().__init__()
        self.error = error


class ScorecardClosed(Message):
    """Escape on the scorecard: whoever opened it shows itself again (``period``: the
    period the scorecard showed last)."""

    def __init__(self, period: Period):
        super().__init__()
        self.period = period
