"""The task journal: an append-only JSON-lines file of everything done with Kling.

``<recipe folder>/.cmforge/cache/kling-journal.jsonl``, one event per line:

- ``intent``      written (and fsynced) BEFORE the create call: external_task_id, the job
                  key (fingerprint + take), scene, family, attempt, request without image bytes
- ``created``     the server's task_id
- ``succeeded``   the result URL and units charged
- ``downloaded``  where the verified clip was put
- ``failed``      the reason (failed tasks are not charged)
- ``expired``     the result URL no longer served the file

A line cut short by a crash is skipped on reading and never glued to the next one.
``lock(name)`` is an exclusive ``fcntl.flock`` on a lock file beside the journal, so two
threads or two processes never work on the same clip at once (flock locks belong to an open
file, so separate opens conflict even within one process).
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

JOURNAL_NAME = "kling-journal.jsonl"
LOCK_DIR = "kling-locks"
EVENTS = ("intent", "created", "succeeded", "downloaded", "failed", "expired")


def journal_path(recipe_folder: Path) -> Path:
    return recipe_folder / CACHE_DIR / JOURNAL_NAME


@dataclass
class TaskRecord:
    """What the journal knows about one external_task_id, folded from its events."""

    external_task_id: str
    key: str = ""  # the job key: fingerprint and take; every attempt of one clip shares it
    scene: str = ""
    family: str = ""
    attempt: int = 1
    state: str = "intent"  # the last event
    task_id: str = ""
    url: str = ""
    units: float | None = None
    path: str = ""
    reason: str = ""
    request: dict = field(default_factory=dict)
    updated: float = 0.0
    intended: float = 0.0  # when the intent was journalled (before the create was sent)


class Journal:
    def __init__(self, path: Path, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock

    @classmethod
    def for_recipe(cls, recipe_folder: Path) -> Journal:
        return cls(journal_path(recipe_folder))

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # ----- writing -----------------------------------------------------------------------

    def intent(
        self,
        external_task_id: str,
        *,
        key: str,
        scene: str,
        family: str,
        attempt: int,
        request: dict,
    ) -> None:
        self.append(
            "intent",
            external_task_id,
            key=key,
            scene=scene,
            family=family,
            attempt=attempt,
            request=request,
        )

    def created(self, external_task_id: str, task_id: str) -> None:
        self.append("created", external_task_id, task_id=task_id)

    def succeeded(self, external_task_id: str, task_id: str, url: str, units: float | None) -> None:
        self.append("succeeded", external_task_id, task_id=task_id, url=url, units=units)

    def downloaded(self, external_task_id: str, path: Path) -> None:
        self.append("downloaded", external_task_id, path=str(path))

    def failed(self, external_task_id: str, reason: str, task_id: str = "") -> None:
        self.append("failed", external_task_id, reason=reason, task_id=task_id)

    def expired(self, external_task_id: str, reason: str) -> None:
        self.append("expired", external_task_id, reason=reason)

    def append(self, event: str, external_task_id: str, **fields: object) -> None:
        """One line, written whole under the journal's lock and flushed to disk."""
        if event not in EVENTS:
            raise ValueError(f"unknown journal event {event!r}")
        line = {"ts": round(self.clock(), 3), "event": event, "external_task_id": external_task_id}
        line.update(fields)
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

    # ----- reading -----------------------------------------------------------------------

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
            if isinstance(event, dict) and event.get("external_task_id"):
                yield event

    def records(self) -> dict[str, TaskRecord]:
        """Every external_task_id's folded state, in the order first seen."""
        out: dict[str, TaskRecord] = {}
        for e in self.events():
            ext = e["external_task_id"]
            rec = out.setdefault(ext, TaskRecord(ext))
            if e.get("event") == "intent":
                rec.key = e.get("key", rec.key)
                rec.scene = e.get("scene", rec.scene)
                rec.family = e.get("family", rec.family)
                rec.attempt = int(e.get("attempt", rec.attempt))
                rec.request = e.get("request") or rec.request
                rec.intended = float(e.get("ts") or 0)
            if e.get("event") != "intent" or rec.state == "intent":
                rec.state = e.get("event", rec.state)
            for name in ("task_id", "url", "path", "reason"):
                if e.get(name):
                    setattr(rec, name, e[name])
            if e.get("units") is not None:
                rec.units = float(e["units"])
            rec.updated = float(e.get("ts") or 0)
        return out

    def for_job(self, key: str) -> list[TaskRecord]:
        """Every attempt at one clip (one job key), oldest first."""
        found = [r for r in self.records().values() if r.key == key]
        return sorted(found, key=lambda r: r.attempt)

    # ----- locking -----------------------------------------------------------------------

    @contextmanager
    def lock(
        self,
        name: str,
        timeout: float = 3600.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> Iterator[None]:
        """Hold an exclusive lock named ``name`` (a job key, or "journal"); bounded wait."""
        folder = self.path.parent / LOCK_DIR
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:120]
        fd = os.open(folder / f"{safe}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _acquire(fd, name, timeout, on_wait)
            yield
        finally:
            os.close(fd)  # closing the file releases the lock


def _acquire(fd: int, name: str, timeout: float, on_wait: Callable[[str], None] | None) -> None:
    started = time.monotonic()
    wait = 0.02
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if on_wait and not told and name != "journal":
            on_wait("waiting: another cmforge run is generating this clip")
            told = True
        if time.monotonic() - started > timeout:
            raise GenerationError(
                f"another cmforge run has held the lock for {name} over {timeout:.0f} s"
            )
        time.sleep(wait)
        wait = min(wait * 1.5, 0.5)
