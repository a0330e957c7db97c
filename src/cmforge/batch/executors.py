"""Where the variants of a batch render: threads on this machine, or tasks on a Dask cluster.

Either way each variant is one call of pipeline.render, so the files are the same. The work
itself runs in FFmpeg subprocesses, which is why threads are enough on one machine; one
variant at a time runs in the caller's own thread, as a single render always has.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from ..errors import CmforgeError
from ..pipeline import Plan, render
from ..recipe.model import Recipe
from .events import RENDER, START, Event

Events = Callable[[str], None]
Progress = Callable[[int, int], None]
LockFor = Callable[[str], AbstractContextManager[Any]]


@dataclass(frozen=True)
class VariantTask:
    """One variant to render, with what the batch learnt about it while planning (its clips
    are within the credit budget: the batch checked them with every other variant's)."""

    recipe: Recipe
    preview: bool = False
    frames: int = 0  # the frames this render encodes (for the batch's progress)
    generates: tuple[str, ...] = ()  # clip files this render makes before encoding
    plan: Plan | None = None  # the batch's plan of it (kept on this machine, not sent to Dask)

    @property
    def variant(self) -> str:
        return self.recipe.variant


@dataclass
class Outcome:
    """What became of one variant's render."""

    variant: str
    output: Path | None = None
    seconds: float = 0.0  # measured around pipeline.render
    error: str = ""  # empty when the render succeeded
    trace: str = ""  # the traceback, when the error is a bug in cmforge
    events: list[str] = field(default_factory=list)  # collected where they cannot stream
    # the error itself, for a caller that reports it as it is (not sent back from Dask)
    exception: Exception | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.error


def _no_lock(_name: str) -> AbstractContextManager[Any]:
    return contextlib.nullcontext()


def render_variant(
    task: VariantTask,
    *,
    on_progress: Progress | None = None,
    on_event: Events | None = None,
    lock: LockFor = _no_lock,
) -> Outcome:
    """Render one variant; its failure becomes the outcome's error, so the others go on.

    Work that several variants share is done once. A clip not generated yet: while this
    render makes it, it holds the clip's lock, until FFmpeg starts encoding (generation is
    over by then); a variant waiting on the lock then finds the clip made. A segment that
    several variants share is claimed by the render that gets to it first (segcache.claimed,
    a file lock, so this holds across processes too); the others wait and find it cached."""
    say = on_event or (lambda _m: None)
    name = task.variant
    with contextlib.ExitStack() as held:
        for dest in sorted(task.generates):
            held.enter_context(lock(dest))

        def progress(done: int, total: int) -> None:
            held.close()  # encoding has begun: every clip of this variant is made
            if on_progress is not None:
                on_progress(done, total)

        say(Event(name, "rendering" + (" (preview)" if task.preview else ""), START))
        start = time.monotonic()
        try:
            out = render(
                task.recipe,
                preview=task.preview,
                on_progress=progress,
                on_event=lambda m: say(Event(name, m, RENDER)),
                planned=task.plan,
                budget_checked=True,  # by the batch, over every variant's clips
            )
        except CmforgeError as exc:
            return Outcome(name, seconds=time.monotonic() - start, error=str(exc), exception=exc)
        except Exception as exc:  # a bug: reported with this variant, the others go on
            return Outcome(
                name,
                seconds=time.monotonic() - start,
                error=f"internal error ({type(exc).__name__}: {exc})",
                trace=traceback.format_exc(),
                exception=exc,
            )
    return Outcome(name, out, time.monotonic() - start)


class Executor(Protocol):
    def run(
        self, tasks: list[VariantTask], on_event: Events, progress: Callable[[str], Progress]
    ) -> Iterator[Outcome]:
        """Render every task; yield each outcome as it is known."""


class _Locks:
    """One threading.Lock per name, made on first use."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def __call__(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())


class ThreadExecutor:
    """Variants on this machine, `jobs` at once, each in a thread that waits on FFmpeg; one at
    a time, in the caller's thread (so Ctrl-C stops the render at once, even while it waits
    on a clip being generated)."""

    def __init__(self, jobs: int = 1):
        self.jobs = max(1, int(jobs))

    def run(
        self, tasks: list[VariantTask], on_event: Events, progress: Callable[[str], Progress]
    ) -> Iterator[Outcome]:
        locks = _Locks()
        if min(self.jobs, len(tasks)) <= 1:
            for t in tasks:
                yield render_variant(
                    t, on_progress=progress(t.variant), on_event=on_event, lock=locks
                )
            return
        pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="cmforge-variant")
        pending = {
            pool.submit(
                render_variant, t, on_progress=progress(t.variant), on_event=on_event, lock=locks
            )
            for t in tasks
        }
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in finished:
                    yield f.result()
        finally:  # interrupted: start nothing more; FFmpeg got the same signal and stops
            pool.shutdown(wait=True, cancel_futures=True)


def dask_lock(name: str) -> AbstractContextManager[Any]:
    """A lock shared by every worker of the cluster (made on the worker running the task)."""
    from distributed import Lock

    return Lock(f"cmforge-clip:{name}")


def dask_render(task: VariantTask) -> Outcome:
    """The Dask task: render one variant on the worker; its messages travel back with it."""
    events: list[str] = []
    outcome = render_variant(task, on_event=events.append, lock=dask_lock)
    outcome.events = events
    outcome.exception = None  # its text travels back; the exception itself may not
    return outcome


class DaskExecutor:
    """Variants as tasks on a Dask distributed cluster.

    Each worker needs the same cmforge version and must see the recipe's folder (its media,
    .cmforge cache and output folder) at the same path as this machine. A task that raises
    unexpectedly is tried again (`retries`); a task whose worker dies is given to another
    worker by the scheduler (up to distributed.scheduler.allowed-failures times, 3 by default).
    """

    def __init__(self, scheduler: Any, *, retries: int = 2, task: Callable | None = None):
        self.scheduler = scheduler  # an address such as tcp://host:8786, or a Client
        self.retries = retries
        self.task = task or dask_render

    def _client(self) -> tuple[Any, bool]:
        try:
            from distributed import Client
        except ImportError:
            raise CmforgeError(
                "--executor dask needs the distributed package: pip install 'cmforge[dask]'"
            ) from None
        if isinstance(self.scheduler, Client):
            return self.scheduler, False
        try:
            return Client(self.scheduler, set_as_default=False, timeout=30), True
        except OSError as exc:
            raise CmforgeError(
                f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
            ) from None

    def run(
        self, tasks: list[VariantTask], on_event: Events, progress: Callable[[str], Progress]
    ) -> Iterator[Outcome]:
        from distributed import as_completed

        client, own = self._client()
        try:
            batch = uuid.uuid4().hex[:8]
            futures = {
                client.submit(
                    self.task,
                    replace(t, plan=None),
                    key=f"cmforge-render-{t.variant}-{batch}",
                    retries=self.retries,
                    pure=False,
                ): t
                for t in tasks
            }
            on_event(f"{len(futures)} variant(s) sent to the Dask cluster")
            for fut in as_completed(futures, loop=client.loop):
                t = futures[fut]
                try:
                    outcome = fut.result()
                except Exception as exc:  # the task failed on every try, or its workers died
                    outcome = Outcome(t.variant, error=f"the Dask task failed: {exc!r}")
                for message in outcome.events:
                    on_event(message)
                if outcome.ok:
                    progress(t.variant)(t.frames, t.frames)
                yield outcome
        finally:
            if own:
                client.close()
