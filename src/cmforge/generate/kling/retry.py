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
    """Polling a running task (section 5: every 5-10 s with jitter, give up after 15-30 min)."""

    first: float = 5.0  # wait before the first status query
    interval: float = 5.0  # then from this ...
    max_interval: float = 10.0  # ... growing to this
    growth: float = 1.25
    timeout: float = 20 * 60.0  # after this, stop polling (the task keeps running at Kling)

    def delay(self, polls: int, rng: random.Random) -> float:
        if polls == 0:
            return self.first
        wait = min(self.max_interval, self.interval * self.growth ** (polls - 1))
        return wait * (0.85 + rng.random() * 0.3)

    def scaled(self, factor: float) -> PollPolicy:
        """The same policy with every time multiplied (tests and the simulator's latency)."""
        return PollPolicy(
            self.first * factor,
            self.interval * factor,
            self.max_interval * factor,
            self.growth,
            self.timeout * factor,
        )
