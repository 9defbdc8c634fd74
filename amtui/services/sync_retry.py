"""When to try a sync again after it failed offline or rate-limited: first after
``RETRY_FIRST`` seconds, then twice as long each time, at most ``RETRY_MAX``.

    retry = RetryPolicy()
    delay = retry.next_delay()   # 20, 40, 80, ... 300
    retry.reset()                # after a sync that worked
"""

from __future__ import annotations

RETRY_FIRST = 20.0  # seconds before retrying a sync that failed offline or rate-limited
RETRY_MAX = 300.0


class RetryPolicy:
    def __init__(self, first: float = RETRY_FIRST, most: float = RETRY_MAX):
        self.first = first
        self.most = most
        self.delay = first

    def reset(self, first: float | None = None) -> None:
        if first is not None:
            self.first = first
        self.delay = self.first

    def next_delay(self) -> float:
        """The wait before the next try; doubles the one after."""
        cap = max(self.first, self.most)
        delay = min(self.delay, cap)
        self.delay = min(self.delay * 2, cap)
        return delay
