"""How many FLUX tasks this process runs at once, and waiting out a 429.

BFL caps the tasks an account has unfinished (24 by default, 6 for flux-kontext-max; over it a
create gets 429, image-apis.md section 4). A task holds a slot here from before its create
until it has ended. A 429 waits for a task of this process to end (FLUX frees the slot then),
or, when none of ours runs (another program fills the account), for the Retry-After.
One gate per account (base URL and key), shared by every client of the process.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Mapping

DEFAULT_AT_ONCE = 8
BUSY_WAIT = 2.0  # seconds, when the 429 names none and no task of ours runs
Say = Callable[[str], None]


def at_once_from_env(env: Mapping[str, str] | None = None) -> int:
    """`CMFORGE_FLUX_AT_ONCE`, else 8."""
    raw = (os.environ if env is None else env).get("CMFORGE_FLUX_AT_ONCE", "").strip()
    try:
        return max(1, int(raw)) if raw else DEFAULT_AT_ONCE
    except ValueError:
        return DEFAULT_AT_ONCE


class Gate:
    def __init__(self, at_once: int = DEFAULT_AT_ONCE):
        self.at_once = max(1, at_once)
        self.held = 0
        self.ended = 0  # tasks of ours ended so far
        self.busy = 0  # 429 answers seen
        self._cond = threading.Condition()

    def __repr__(self) -> str:
        return f"Gate(at_once={self.at_once}, held={self.held})"

    def slot(self, say: Say) -> Slot:
        with self._cond:
            if self.held >= self.at_once:
                say(f"flux: {self.held} stills are being made, the most at once; waiting")
            while self.held >= self.at_once:
                self._cond.wait()
            self.held += 1
        return Slot(self)

    def wait_for_room(self, say: Say, retry_after: float = BUSY_WAIT) -> None:
        """After a 429: until a task of ours ends, else (none runs but the caller's own
        create) the Retry-After, jittered."""
        with self._cond:
            self.busy += 1
            seen = self.ended
            if self.held > 1:
                say("flux: the account runs as many tasks as FLUX allows; waiting for one to end")
                self._cond.wait_for(lambda: self.ended != seen, timeout=60.0)
                return
        wait = retry_after * (0.75 + random.random() / 2)
        say(f"flux: the account runs as many tasks as FLUX allows; asking again in {wait:.1f} s")
        threading.Event().wait(wait)

    def _release(self) -> None:
        with self._cond:
            self.held -= 1
            self.ended += 1
            self._cond.notify_all()


class Slot:
    def __init__(self, gate: Gate):
        self.gate = gate
        self.released = False

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.gate._release()

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


_GATES: dict[tuple[str, str], Gate] = {}
_LOCK = threading.Lock()


def gate_for(base_url: str, key: str, at_once: int | None = None) -> Gate:
    with _LOCK:
        gate = _GATES.get((base_url, key))
        if gate is None:
            gate = _GATES[(base_url, key)] = Gate(at_once or at_once_from_env())
        return gate
