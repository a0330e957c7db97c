"""How often a FLUX task is polled (image-apis.md section 3: BFL's samples wait 0.5-2 s; no
poll rate limit is published)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import FluxStillRunning
from .journal import Attempt

if TYPE_CHECKING:
    from .client import FluxClient

# the statuses a task ends in; any other (Pending, and newer ones such as Reasoning or
# Generating) counts as still running
ENDED = ("Ready", "Error", "Failed", "Request Moderated", "Content Moderated", "Task not found")


@dataclass(frozen=True)
class PollPolicy:
    """How often a task is polled: every `first` s at the start, then a tenth of the time it
    has run (so waiting adds at most ~10 % to a long task), at most every `cap` s; sooner when
    FLUX's `progress` says the still is nearly done. `timeout`: when to give up (the task keeps
    running and the next run resumes it). `scale` shrinks the waits for a fast simulator."""

    first: float = 0.5
    share: float = 0.1
    cap: float = 3.0
    timeout: float = 300.0
    scale: float = 1.0

    def delay(self, elapsed: float, progress: float | None, rng: random.Random) -> float:
        wait = min(self.cap, max(self.first, elapsed * self.share))
        if progress and 0.05 < progress < 1 and elapsed > 0:
            left = elapsed * (1 - progress) / progress  # the rest at the pace so far
            wait = min(wait, max(self.first / 4, left))
        return wait * self.scale * (0.9 + rng.random() / 5)


def wait_until_ended(
    client: FluxClient,
    rec: Attempt,
    policy: PollPolicy,
    rng: random.Random,
    say: Callable[[str], None],
) -> dict:
    """Poll the task's polling_url (as FLUX gave it) until it ends: its last answer, `Failed`
    read as `Error`. Past the policy's timeout FluxStillRunning (the next run resumes it)."""
    started = time.monotonic()
    seen = ""
    while True:
        data = client.result(rec.polling_url, say)
        status = str(data.get("status"))
        if status != seen:
            seen = status
            say(f"flux: task {rec.task_id} {status}")
        if status in ENDED:
            return {**data, "status": "Error" if status == "Failed" else status}
        elapsed = time.monotonic() - started
        if elapsed > policy.timeout * policy.scale:
            raise FluxStillRunning(
                f"task {rec.task_id} is still {status} after {elapsed:.0f} s; it keeps "
                "running at FLUX and the next run picks it up (it is not paid for twice)"
            )
        progress = data.get("progress")
        p = float(progress) if isinstance(progress, int | float) else None
        client.sleep(policy.delay(elapsed, p, rng))
