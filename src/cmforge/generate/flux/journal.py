"""The FLUX journal: an append-only JSON-lines file of every task asked of FLUX.

``<recipe folder>/.cmforge/cache/flux-journal.jsonl``, one event per line, each fsynced:

- ``intent``     BEFORE the create is sent: the job key (fingerprint and take), the still,
                 attempt, model, the request's hash and body, and the credit balance just
                 before (when FLUX told it), so a lost answer can be judged later
- ``created``    the task's id, its polling_url exactly as FLUX gave it, and its cost
- ``lost``       the create was sent and its answer lost: it may have been created and charged
- ``ready``      the sample URL
- ``downloaded`` where the verified still was put
- ``failed``     moderated or failed, with FLUX's status and details
- ``expired``    the sample URL or the task is gone before the still was saved

FLUX has no idempotency key and no task list: an intent without ``created`` is an answer
lost, never re-sent on its own. A line cut short by a crash is skipped. ``lock(name)`` is an
exclusive ``fcntl.flock`` on a file in ``flux-locks/`` (flock locks belong to an open file:
separate opens conflict even within one process), so two runs never ask for one still twice.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import GenerationError
from ..base import CACHE_DIR

JOURNAL_NAME = "flux-journal.jsonl"
LOCK_DIR = "flux-locks"
EVENTS = ("intent", "created", "lost", "ready", "downloaded", "failed", "expired")


def journal_path(recipe_folder: Path) -> Path:
    return recipe_folder / CACHE_DIR / JOURNAL_NAME


@dataclass
class Attempt:
    """One create asked of FLUX (one journal `ref`), folded from its events."""

    ref: str  # <job key>-a<attempt>
    key: str = ""  # the job key: every attempt at one still shares it
    still: str = ""
    attempt: int = 1
    model: str = ""
    state: str = "intent"  # the last event
    task_id: str = ""
    polling_url: str = ""
    cost: float | None = None
    credits_before: float | None = None
    url: str = ""
    path: str = ""
    reason: str = ""
    status: str = ""  # FLUX's status of a failed task
    request: dict = field(default_factory=dict)
    sent_at: float = 0.0


class Journal:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock

    @classmethod
    def for_recipe(cls, recipe_folder: Path) -> Journal:
        return cls(journal_path(recipe_folder))

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    def append(self, event: str, ref: str, **fields: object) -> None:
        """One line, written whole under the journal's lock and flushed to disk."""
        if event not in EVENTS:
            raise ValueError(f"unknown journal event {event!r}")
        line = {"ts": round(self.clock(), 3), "event": event, "ref": ref, **fields}
        data = (json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock("journal"):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data  # a crash left half a line: keep ours separate
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)

    def events(self) -> Iterator[dict]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        for raw in text.splitlines():
            try:
                event = json.loads(raw)
            except ValueError:
                continue  # a line cut short by a crash
            if isinstance(event, dict) and event.get("ref"):
                yield event

    def attempts(self) -> dict[str, Attempt]:
        """Every attempt's folded state, in the order first seen."""
        out: dict[str, Attempt] = {}
        for e in self.events():
            rec = out.setdefault(e["ref"], Attempt(e["ref"]))
            kind = e.get("event")
            if kind == "intent":
                rec.key = e.get("key", rec.key)
                rec.still = e.get("still", rec.still)
                rec.attempt = int(e.get("attempt", rec.attempt))
                rec.model = e.get("model", rec.model)
                rec.request = e.get("request") or rec.request
                rec.credits_before = e.get("credits_before")
                rec.sent_at = float(e.get("ts") or 0)
            if kind != "intent" or rec.state == "intent":
                rec.state = kind or rec.state
            for name in ("task_id", "polling_url", "url", "path", "reason", "status"):
                if e.get(name):
                    setattr(rec, name, e[name])
            if e.get("cost") is not None:
                rec.cost = float(e["cost"])
        return out

    def for_job(self, key: str) -> list[Attempt]:
        """Every attempt at one still (one job key), oldest first."""
        found = [a for a in self.attempts().values() if a.key == key]
        return sorted(found, key=lambda a: a.attempt)

    @contextmanager
    def lock(
        self, name: str, timeout: float = 3600.0, on_wait: Callable[[str], None] | None = None
    ) -> Iterator[None]:
        """Hold an exclusive lock named `name` (a job key, or "journal"); bounded wait."""
        folder = self.path.parent / LOCK_DIR
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:120]
        fd = os.open(folder / f"{safe}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            started, wait, told = time.monotonic(), 0.02, False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                if on_wait and not told and name != "journal":
                    on_wait("waiting: another cmforge run is making this still")
                    told = True
                if time.monotonic() - started > timeout:
                    raise GenerationError(
                        f"another cmforge run has held the lock for {name} over {timeout:.0f} s"
                    )
                time.sleep(wait)
                wait = min(wait * 1.5, 0.5)
            yield
        finally:
            os.close(fd)  # closing the file releases the lock
