"""How many Kling tasks this process runs at once: a limit learned from code 1303.

Kling caps the tasks an account has running (kling-api.md section 6: a task holds a slot
from ``submitted`` until it ends, failures included; over the cap a create gets HTTP 429,
code 1303). The cap comes with the account's resource packs and is not published, so the
gate learns it, the way TCP learns a window (additive increase, multiplicative decrease):

- a job takes a slot before its create and gives it back when its task has ended and the
  clip is downloaded (or the task failed);
- on 1303 the limit drops to the number of this process's tasks running at Kling (at least
  1), counted once the other creates under way have been answered; until then no other
  create is sent (Kling is full: it would be refused too); the refused job gives its slot
  back and waits for one, instead of asking the server again, and a task that ends wakes it;
- that count is the tasks this process has not yet seen end: one that ended at Kling before
  its poll told the gate still counts, so the limit may stay above the cap until a later
  1303 lowers it again;
- a create that succeeds with more tasks running than the limit shows the cap is higher:
  the limit rises to that many;
- after ``grow_after`` tasks in a row finished without a refusal, the limit grows by one, up
  to the maximum (``CMFORGE_KLING_AT_ONCE``, default 4), because a 1303 may have come from
  tasks of another program sharing the account.

One gate per account (host and access key) is shared by every client of the process
(``gate_for``). 1302 (too many requests per time) is no concurrency matter: the client keeps
backing off for it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping

DEFAULT_AT_ONCE = 4
GROW_AFTER = 8
Say = Callable[[str], None]
Watch = Callable[[str, int, int], None]  # (event, tasks running, limit)


def _quiet(_message: str) -> None:
    pass


def at_once_from_env(env: Mapping[str, str] | None = None) -> int:
    """The most Kling tasks a process runs at once: ``CMFORGE_KLING_AT_ONCE`` or 4."""
    env = os.environ if env is None else env
    raw = env.get("CMFORGE_KLING_AT_ONCE", "").strip()
    try:
        return max(1, int(raw)) if raw else DEFAULT_AT_ONCE
    except ValueError:
        return DEFAULT_AT_ONCE


class Gate:
    """Slots for Kling tasks: at most ``limit`` held at once, ``limit`` <= ``maximum``."""

    def __init__(self, maximum: int = DEFAULT_AT_ONCE, grow_after: int = GROW_AFTER):
        self.maximum = max(1, maximum)
        self.limit = self.maximum
        self.grow_after = max(1, grow_after)
        self.held = 0  # slots held: a create under way, a task running, or a download
        self.creating = 0  # of those, creates not answered yet
        self.running = 0  # of those, tasks Kling accepted that have not ended yet
        self.refusals = 0  # 1303 answers seen
        self.counting = 0  # refused creates waiting for the others' answers to set the limit
        self.watch: Watch | None = None  # told of every start, end and refusal (tests)
        self._ended = 0  # tasks ended so far: a waiter knows whether Kling freed a slot
        self._clean = 0  # tasks finished since the last refusal or growth
        self._cond = threading.Condition()

    def __repr__(self) -> str:
        return f"Gate(limit={self.limit}, maximum={self.maximum}, held={self.held})"

    def slot(self, say: Say = _quiet, *, running: bool = False) -> Slot:
        """Take a slot for a create, waiting while ``limit`` are held. ``running``: for a task
        that already runs at Kling (a resumed run), taken at once since it holds Kling's slot
        anyway."""
        with self._cond:
            if not running:
                self._wait_for_room(say)
                self.creating += 1
            self.held += 1
            if running:
                self._started()
        return Slot(self, started=running)

    # ----- under the condition's lock --------------------------------------------------------

    def _wait_for_room(self, say: Say, ended: int | None = None) -> bool:
        """Wait until fewer than ``limit`` slots are held; True if a task ended since ``ended``
        (a count of ended tasks; default: now)."""
        ended = self._ended if ended is None else ended
        if self.held >= self.limit:
            say(self._waiting_text())
        while self.held >= self.limit or self.counting:
            self._cond.wait()
        return self._ended != ended

    def _waiting_text(self) -> str:
        if self.limit < self.maximum:
            clips = "clip" if self.limit == 1 else "clips"
            return (
                f"kling: Kling allows {self.limit} {clips} at once on this account; "
                "waiting for a slot"
            )
        return (
            f"kling: {self.held} clips are generating, the most cmforge runs at once "
            "(CMFORGE_KLING_AT_ONCE); waiting for a slot"
        )

    def _started(self) -> None:
        self.running += 1
        if self.running > self.limit:  # Kling took more at once than the limit assumed
            self.limit = min(self.maximum, self.running)
        self._tell("start")
        self._cond.notify_all()

    def _tell(self, event: str) -> None:
        if self.watch is not None:
            self.watch(event, self.running, self.limit)

    # ----- what a slot reports -----------------------------------------------------------

    def _refused(self, say: Say) -> bool:
        with self._cond:
            ended = self._ended
            self.refusals += 1
            self.held -= 1
            self.creating -= 1
            self._clean = 0
            self.counting += 1  # no create is let in until the limit is set
            self._cond.notify_all()
            try:
                while self.creating > 0:  # the other creates' answers tell how many Kling took
                    self._cond.wait()
                self.limit = min(self.limit, max(1, self.running))
            finally:
                self.counting -= 1
                self._cond.notify_all()
            self._tell("refused")
            waited = self._wait_for_room(say, ended)
            self.held += 1
            self.creating += 1
            return waited

    def _start(self) -> None:
        with self._cond:
            self.creating -= 1
            self._started()

    def _ended_task(self, succeeded: bool, say: Say) -> None:
        with self._cond:
            self.running -= 1
            self._ended += 1
            if succeeded:
                self._clean += 1
                if self._clean >= self.grow_after and self.limit < self.maximum:
                    self.limit += 1
                    self._clean = 0
                    say(
                        f"kling: {self.grow_after} clips finished without a refusal; "
                        f"trying {self.limit} at once"
                    )
            self._tell("end")
            self._cond.notify_all()

    def _release(self, creating: bool) -> None:
        with self._cond:
            self.held -= 1
            if creating:
                self.creating -= 1
            self._cond.notify_all()


class Slot:
    """One job's hold on the gate, from before its create until its clip is in place.

    ``Slot(None)`` holds nothing (a task that had already ended before this run saw it)."""

    def __init__(self, gate: Gate | None, started: bool = False):
        self.gate = gate
        self.started = started
        self.ended = False
        self.released = False

    def refused(self, say: Say = _quiet) -> bool:
        """The create got 1303: lower the limit, give the slot back and wait for one again.

        True when a task of this process ended meanwhile (Kling freed a slot: send the create
        again at once); False when a slot was free without that, so the refusal came from
        tasks outside this process (back off before asking again).
        """
        if self.gate is None or self.started or self.released:
            return False
        self.released = True  # not held while waiting (an interrupt leaves nothing to give back)
        waited = self.gate._refused(say)
        self.released = False
        return waited

    def start(self) -> None:
        """Kling accepted the create: the task now runs."""
        if self.gate is not None and not self.started and not self.released:
            self.started = True
            self.gate._start()

    def end(self, succeeded: bool, say: Say = _quiet) -> None:
        """The task ended at Kling (its slot there is free); the download may follow."""
        if self.gate is not None and self.started and not self.ended:
            self.ended = True
            self.gate._ended_task(succeeded, say)

    def release(self) -> None:
        """Give the slot back (a task still counted as running is taken as ended)."""
        if self.released or self.gate is None:
            return
        if self.started and not self.ended:
            self.end(False)
        self.released = True
        self.gate._release(creating=not self.started)

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


_GATES: dict[tuple[str, str], Gate] = {}
_GATES_LOCK = threading.Lock()


def gate_for(base_url: str, access_key: str, maximum: int | None = None) -> Gate:
    """The gate of one account (host and access key), made on first use with ``maximum``
    (default: ``CMFORGE_KLING_AT_ONCE`` or 4) and shared by every client of the process."""
    key = (base_url.rstrip("/"), access_key)
    with _GATES_LOCK:
        gate = _GATES.get(key)
        if gate is None:
            gate = _GATES[key] = Gate(maximum if maximum is not None else at_once_from_env())
        return gate
