"""When the open app talks to the sheet: a small clock-driven state machine, no Textual, no
threads, no I/O, so it is tested with a plain number as the clock.

    live = Live(LivePolicy(poll_interval=5, push_delay=2), now=0.0)
    live.edited(now=1.0)            # a key changed a card: push 2 s after the last edit
    live.due(now=3.0)               # -> "push"   (the app starts a sync)
    live.started("push", now=3.0)
    live.finished(now=3.4)
    live.due(now=8.4)               # -> "check"  (ask the sheet's version: no Sheets request)

Actions: ``"push"`` (local edits wait: sync now), ``"check"`` (ask whether the sheet changed;
the caller syncs only when it did). Polling slows down when nobody pressed a key for a while
or the terminal lost focus, and backs off after failures (offline, rate-limited); a failed
push is tried again with the next attempt, nothing is dropped (the edits stay in the store).
"""

from __future__ import annotations

from dataclasses import dataclass

from amtui.domain.i18n import N_, _

PUSH, CHECK = "push", "check"


@dataclass(frozen=True)
class LivePolicy:
    poll_interval: float = 5.0  # 0: no polling (ctrl+r and pushes only)
    push_delay: float = 2.0  # seconds after the last edit
    idle_after: float = 300.0  # no key for this long: the person stepped away
    idle_poll: float = 30.0  # ... then poll at most this often
    asleep_after: float = 1800.0
    asleep_poll: float = 120.0
    unfocused_poll: float = 30.0  # the terminal lost focus
    retry_first: float = 5.0  # after a failure; doubles up to retry_max
    retry_max: float = 300.0
    live_grace: float = 2.0  # "live" while the last check is this many intervals old


class Live:
    """See the module docstring. Times are seconds on one monotonic clock (the caller's)."""

    def __init__(self, policy: LivePolicy, now: float):
        self.policy = policy
        self.last_activity = now
        self.last_check: float | None = None  # the last successful check or sync
        self.push_at: float | None = None
        self.focused = True
        self.running: str | None = None
        self.failures = 0
        self.retry_at: float | None = None
        self.trouble = ""  # the kind of the last failure ("offline", "rate-limited", ...)
        self.started_at = now

    # -- what happened ---------------------------------------------------------------------

    def edited(self, now: float) -> None:
        """A local edit: push ``push_delay`` after the last one (debounced)."""
        self.last_activity = now
        self.push_at = now + self.policy.push_delay

    def active(self, now: float) -> None:
        """A key or click: the person is here (polling at full speed)."""
        self.last_activity = now

    def focus(self, focused: bool, now: float) -> None:
        self.focused = focused
        if focused:
            self.last_activity = now

    def started(self, action: str, now: float) -> None:
        self.running = action
        if action == PUSH:
            self.push_at = None

    def finished(self, now: float) -> None:
        """The check or sync worked (whether or not the sheet had changed)."""
        self.running = None
        self.last_check = now
        self.failures = 0
        self.retry_at = None
        self.trouble = ""

    def failed(self, kind: str, now: float, retry: bool = True) -> float | None:
        """The check or sync failed; returns the delay before the next try (None: wait for
        the next edit or ctrl+r: retrying cannot help, e.g. no access)."""
        pushing = self.running == PUSH
        self.running = None
        self.trouble = kind
        self.failures += 1
        if not retry:
            self.retry_at = None
            return None
        delay = min(self.policy.retry_first * 2 ** (self.failures - 1), self.policy.retry_max)
        self.retry_at = now + delay
        if pushing or self.push_at is not None:
            self.push_at = self.retry_at  # the edits stay queued: pushed with the retry
        return delay

    # -- what to do --------------------------------------------------------------------------

    def interval(self, now: float) -> float:
        """Seconds between checks now (0: not polling)."""
        p = self.policy
        if p.poll_interval <= 0:
            return 0.0
        every = p.poll_interval
        idle = now - self.last_activity
        if idle >= p.asleep_after:
            every = max(every, p.asleep_poll)
        elif idle >= p.idle_after:
            every = max(every, p.idle_poll)
        if not self.focused:
            every = max(every, p.unfocused_poll)
        return every

    def due(self, now: float) -> str | None:
        """The action to start now, or None."""
        if self.running:
            return None
        if self.retry_at is not None:
            if now < self.retry_at:
                return None
            return PUSH if self.push_at is not None else CHECK
        if self.push_at is not None and now >= self.push_at:
            return PUSH
        every = self.interval(now)
        if every <= 0:
            return None
        since = self.last_check if self.last_check is not None else self.started_at - every
        return CHECK if now - since >= every else None

    def status(self, now: float) -> str:
        """``live``, ``checked 3 min ago``, or "" (not polling / nothing checked yet)."""
        if self.last_check is None or self.trouble:
            return ""
        age = now - self.last_check
        every = self.interval(now)
        if every > 0 and age <= every * self.policy.live_grace + 1:
            return _("live")
        if age < 60:
            return _("checked {n} s ago").format(n=int(age))
        if age < 3600:
            return _("checked {n} min ago").format(n=int(age // 60))
        return _("checked {n} h ago").format(n=int(age // 3600))


# -- progress of a long sync (the app's status bar and `amtui sync` on a terminal) --------

# Where each phase starts and ends on the whole run's bar (a first download of a large
# sheet spends about this share of its time in each).
PHASES = {"starting": (0.0, 0.0), "reading": (0.0, 0.35), "reconciling": (0.35, 0.6),
          "writing": (0.6, 0.7), "saving": (0.7, 1.0), "done": (1.0, 1.0)}
# the words of a phase without details (translated where shown)
PHASE_WORDS = {"starting": N_("starting"), "reading": N_("reading"),
               "reconciling": N_("reconciling"), "writing": N_("writing"),
               "saving": N_("saving"), "done": N_("done")}


def progress(phase: str, info: dict) -> tuple[float, str]:
    """(fraction of the run done, words) for a sync's progress callback::

        progress("reconciling", {"tab": "Feedback", "done": 2, "tabs": 7, "rows": 25000})
        # -> (0.42, "reconciling Feedback (3/7 tabs, 25,000 rows)")
    """
    start, end = PHASES.get(phase, (0.0, 0.0))
    words = _(PHASE_WORDS[phase]) if phase in PHASE_WORDS else phase
    share = 0.0
    if phase == "reading":
        words = _("reading {n} tabs").format(n=info.get("tabs", 0))
    elif phase == "reconciling" and info.get("tabs"):
        done, tabs = info.get("done", 0), info["tabs"]
        share = done / tabs
        words = _("reconciling {tab} ({done}/{tabs} tabs, {rows:,} rows)").format(
            tab=info.get("tab", ""), done=done + 1, tabs=tabs, rows=info.get("rows", 0))
    elif phase == "writing":
        words = _("writing {cells:,} cells, {rows:,} rows").format(
            cells=info.get("cells", 0), rows=info.get("rows", 0))
    elif phase == "saving":
        words = _("saving {records:,} records").format(records=info.get("records", 0))
    return start + (end - start) * share, words


def bar(fraction: float, width: int = 10) -> str:
    """``▰▰▰▱▱▱▱▱▱▱`` for 0.3."""
    filled = max(0, min(width, round(fraction * width)))
    return "▰" * filled + "▱" * (width - filled)


def progress_line(phase: str, info: dict, width: int = 10) -> str:
    """``▰▰▰▰▱▱▱▱▱▱  42%  reconciling Feedback (3/7 tabs, 25,000 rows)``."""
    fraction, words = progress(phase, info)
    return f"{bar(fraction, width)} {fraction:4.0%}  {words}"
