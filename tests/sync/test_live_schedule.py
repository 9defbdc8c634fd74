"""The open app's sync schedule (amtui.services.live) on a plain-number clock: polls every
poll_interval, pushes push_delay after the last edit, slows down when idle or unfocused,
backs off after failures and keeps queued edits for the retry."""

from __future__ import annotations

from amtui.services.live import CHECK, PUSH, Live, LivePolicy

POLICY = LivePolicy(poll_interval=5, push_delay=2, idle_after=300, idle_poll=30,
                    asleep_after=1800, asleep_poll=120, unfocused_poll=30, retry_first=5,
                    retry_max=60)


def run(live: Live, start: float, end: float, step: float = 0.5, fail: str | None = None):
    """Advance the clock; every due action runs and ends at once. Returns (time, action)s."""
    done = []
    now = start
    while now <= end:
        action = live.due(now)
        if action:
            live.started(action, now)
            done.append((now, action))
            if fail:
                live.failed(fail, now)
            else:
                live.finished(now)
        now = round(now + step, 6)
    return done


def test_polls_at_once_then_every_poll_interval():
    live = Live(POLICY, now=0.0)
    assert [t for t, _a in run(live, 0, 20)] == [0, 5, 10, 15, 20]
    assert live.status(21.0) == "live"


def test_an_edit_is_pushed_push_delay_after_the_last_keystroke():
    live = Live(POLICY, now=0.0)
    live.finished(0.0)
    live.edited(1.0)
    live.edited(2.5)  # typing on: the push waits
    assert live.due(4.0) is None
    assert live.due(4.5) == PUSH
    live.started(PUSH, 4.5)
    assert live.due(4.6) is None  # one at a time
    live.finished(5.0)
    assert live.due(6.0) is None and live.due(10.0) == CHECK


def test_idle_and_unfocused_poll_less_often():
    live = Live(POLICY, now=0.0)
    times = [t for t, _a in run(live, 0, 3600, step=1)]
    gaps = {b - a for a, b in zip(times, times[1:], strict=False)}
    assert gaps == {5, 30, 120}
    assert len(times) <= 130  # an idle hour: 60 + 50 + 15 checks, not 720
    live.active(3600.0)
    assert live.interval(3600.0) == 5
    live.focus(False, 3601.0)
    assert live.interval(3601.0) == 30
    live.focus(True, 3602.0)
    assert live.interval(3602.0) == 5


def test_failures_back_off_and_keep_the_queued_push():
    live = Live(POLICY, now=0.0)
    live.finished(0.0)
    live.edited(0.0)
    tries = run(live, 0, 200, fail="offline")
    assert tries[0] == (2.0, PUSH)
    gaps = [b[0] - a[0] for a, b in zip(tries, tries[1:], strict=False)]
    assert gaps[:5] == [5, 10, 20, 40, 60] and max(gaps) == 60
    assert all(action == PUSH for _t, action in tries)  # the edit is never dropped
    assert live.status(200.0) == "" and live.trouble == "offline"
    now = live.retry_at
    assert live.due(now) == PUSH
    live.started(PUSH, now)
    live.finished(now)
    assert live.push_at is None and live.trouble == "" and live.status(now) == "live"


def test_zero_poll_interval_only_pushes():
    live = Live(LivePolicy(poll_interval=0, push_delay=2), now=0.0)
    assert run(live, 0, 100) == []
    live.edited(100.0)
    assert run(live, 100, 110) == [(102.0, PUSH)]


def test_status_says_how_old_the_last_check_is():
    live = Live(POLICY, now=0.0)
    assert live.status(0.0) == ""
    live.finished(0.0)
    assert live.status(10.0) == "live"
    live.focus(False, 10.0)
    assert live.status(45.0) == "checked 45 s ago" or live.status(45.0) == "live"
    assert live.status(200.0) == "checked 3 min ago"
