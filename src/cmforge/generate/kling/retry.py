"""Jittered exponential backoff for the retryable business codes of section 6."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .errors import KlingError


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a retryable failure is tried again (bounded)."""

    attempts: int = 5  # tries in all, the first included
    base: float = 1.0  # seconds before the first retry (before jitter)
    cap: float = 30.0  # no single wait is longer than this

    def delay(self, retry: int, error: KlingError, rng: random.Random) -> float:
        """Wait before retry number ``retry`` (1-based): base * 2^(retry-1), jittered 50-100 %."""
        wait = min(self.cap, self.base * 2 ** (retry - 1))
        if error.code == 5001:  # maintenance: back off longer
            wait = min(self.cap, wait * 2)
        wait *= 0.5 + rng.random() / 2
        if error.code == 1303:  # concurrency over the pack's cap: first wait >= 1 s [doc]
            wait = max(wait, 1.0)
        return wait


@dataclass(frozen=True)
class PollPolicy:
    """Polling a running task: quick at first, then a share of the time waited so far.

    The first query after `first` s, then every `interval` s while that is more than `share`
    of the time waited so far, then that share (so noticing the end adds at most ~20 % to a
    task), never more than every `max_interval` s (section 5's 5-10 s for minute-long tasks).
    Queries take no concurrency slot and no query rate limit is published (section 6); a
    1302 answer is retried with backoff by the client. A real clip (30 s to minutes) is
    asked about 2 times a second for its first 2.5 s, then ever less often: 25 queries for a
    90 s clip, 34 for 3 minutes. `timeout`: after this, stop polling (the task keeps running
    at Kling and the next run resumes it). The schedule counts the waits it asked for, so
    it is the same whatever the clock (tests) and `scaled` shrinks it all for a fast
    simulator (CMFORGE_KLING_POLL_SCALE).
    """

    first: float = 1.0  # wait before the first status query
    interval: float = 0.5  # the shortest wait after it
    max_interval: float = 10.0  # the longest wait
    share: float = 0.2  # otherwise wait this share of the time waited so far
    timeout: float = 20 * 60.0

    def delay(self, polls: int, rng: random.Random) -> float:
        """The wait before query number ``polls + 1`` (the first one is not jittered)."""
        if polls == 0:
            return self.first
        waited = self.first
        for _ in range(polls - 1):
            waited += self._step(waited)
        return self._step(waited) * (0.85 + rng.random() * 0.3)

    def _step(self, waited: float) -> float:
        return min(self.max_interval, max(self.interval, waited * self.share))

    def scaled(self, factor: float) -> PollPolicy:
        """The same policy with every time multiplied (tests and the simulator's latency)."""
        return PollPolicy(
            self.first * factor,
            self.interval * factor,
            self.max_interval * factor,
            self.share,
            self.timeout * factor,
        )
