"""What the user sees while a render runs: a bar with ETA on a terminal, lines otherwise;
one display for a batch of variants rendering at once.

The ETA comes from the measured speed of the frames, not from the time since the command
started: planning, generating clips and measuring the sound come before the first frame and
would make an early estimate 40 times too long (a 14 s render once showed 629 s). Until the
frames have run for MIN_SECONDS and MIN_FRACTION of them are done, the ETA is `?`."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

MIN_SECONDS = 1.0  # of frames flowing before an ETA is shown
MIN_FRACTION = 0.05  # of the frames done before an ETA is shown
Clock = Callable[[], float]


class Eta:
    """The time left, from the speed measured since frames started to come (the first
    report of more than zero frames): None (shown as `?`) until that speed means something."""

    def __init__(self) -> None:
        self.since: tuple[float, int] | None = None  # (time, frames) when frames started

    def __call__(self, done: int, total: int, now: float) -> float | None:
        if total <= 0 or done <= 0:
            return None
        if self.since is None or done < self.since[1]:  # the first frames (or a restart)
            self.since = (now, done)
            return None
        t0, done0 = self.since
        elapsed, frac = now - t0, min(1.0, done / total)
        if frac >= 1.0:
            return 0.0
        if elapsed < MIN_SECONDS or frac < MIN_FRACTION or done <= done0:
            return None
        return (total - done) * elapsed / (done - done0)


def eta_text(seconds: float | None) -> str:
    """`ETA   ?s`, `ETA   12s`, `ETA 3m05s`: the same width for the bar's sake."""
    if seconds is None:
        return "ETA    ?s"
    s = round(seconds)
    return f"ETA {s:4d}s" if s < 100 else f"ETA {s // 60:d}m{s % 60:02d}s"


class ProgressDisplay:
    def __init__(
        self,
        label: str,
        stream: TextIO = sys.stderr,
        quiet: bool = False,
        clock: Clock = time.monotonic,
    ):
        self.label, self.stream, self.quiet, self.clock = label, stream, quiet, clock
        self.tty = stream.isatty()
        self.color = self.tty and not os.environ.get("NO_COLOR")
        self.eta = Eta()
        self.last_line = -1.0
        self.last_pct = -1
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        frac = min(1.0, done / total)
        now = self.clock()
        eta = eta_text(self.eta(done, total, now))
        if self.tty:
            width = 28
            fill = int(frac * width)
            bar = "█" * fill + "·" * (width - fill)
            if self.color:
                bar = f"\x1b[36m{bar}\x1b[0m"
            self.stream.write(f"\r  {self.label:<16.16} {bar} {frac * 100:5.1f}%  {eta} ")
            self.stream.flush()
        else:
            pct = int(frac * 100) // 10 * 10
            due = pct > self.last_pct and now - self.last_line > 1.0
            if due or (pct == 100 and self.last_pct != 100):  # 100 % is always said once
                self.last_pct, self.last_line = pct, now
                self.stream.write(f"  {self.label}: {pct}% ({done}/{total} frames, {eta})\n")
                self.stream.flush()

    def finish(self) -> None:
        """End the bar's line (once, however often it is called)."""
        if not self.quiet and self.tty and not self.finished:
            self.stream.write("\n")
            self.stream.flush()
        self.finished = True


class BatchProgress:
    """One display for a batch of variants rendering at once.

    On a terminal: one line with a bar over every frame of the batch, how many variants are
    done, each running variant's percentage and an ETA; messages print above it. Otherwise:
    plain lines per variant (as ProgressDisplay) and the messages. Quiet: nothing at all."""

    def __init__(
        self, stream: TextIO | None = None, quiet: bool = False, clock: Clock = time.monotonic
    ):
        self.stream, self.quiet, self.clock = stream or sys.stderr, quiet, clock
        self.tty = self.stream.isatty()
        self.color = self.tty and not os.environ.get("NO_COLOR")
        self.lock = threading.Lock()
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.ended: set[str] = set()
        self.start: float | None = None
        self.eta = Eta()  # over every frame of the batch
        self.last_draw = 0.0
        self.drawn = False

    def variant(self, name: str, frames: int) -> _VariantBar:
        """The progress callback of one variant that will encode `frames` frames."""
        self.totals[name], self.done[name] = max(1, frames), 0
        return _VariantBar(self, name)

    def say(self, message: str) -> None:
        if self.quiet:
            return
        with self.lock:
            if self.drawn:
                self.stream.write("\r\x1b[K")
            self.stream.write(f"  {message}\n")
            if self.drawn:
                self._draw()
            self.stream.flush()

    def update(self, name: str, done: int, total: int, plain: ProgressDisplay | None) -> None:
        if self.quiet:
            return
        with self.lock:
            if self.start is None:
                self.start = self.clock()
            if total > 0:
                self.totals[name] = total
            self.done[name] = min(done, self.totals[name])
            if plain is not None:
                plain(done, total)
            elif self.clock() - self.last_draw > 0.1:
                self._draw()
                self.stream.flush()

    def end(self, name: str) -> None:
        with self.lock:
            self.ended.add(name)
            self.done[name] = self.totals[name]  # a failed variant has no more frames to do
            if self.tty and not self.quiet and self.start is not None:
                self._draw()
                self.stream.flush()

    def finish(self) -> None:
        if self.quiet or not self.drawn:
            return
        with self.lock:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

    def line(self, columns: int = 100) -> str:
        """The aggregate line as text: bar, percentage, variants done, running ones, ETA."""
        total = sum(self.totals.values()) or 1
        done = sum(self.done.values())
        frac = min(1.0, done / total)
        eta = eta_text(self.eta(done, total, self.clock()))
        width = 24
        fill = int(frac * width)
        bar = "█" * fill + "·" * (width - fill)
        if self.color:
            bar = f"\x1b[36m{bar}\x1b[0m"
        running = [
            f"{n} {self.done[n] * 100 // self.totals[n]}%"
            for n in self.totals
            if n not in self.ended and self.done[n] > 0
        ]
        head = f"  batch {bar} {frac * 100:5.1f}%  {eta}  {len(self.ended)}/{len(self.totals)} done"
        room = columns - (len(head) - (len(bar) - width)) - 3
        tail = "  ".join(running)
        if len(tail) > room:
            tail = tail[: max(0, room - 1)] + "…"
        return f"{head}  {tail}" if tail else head

    def _draw(self) -> None:
        import shutil

        columns = shutil.get_terminal_size((100, 20)).columns
        self.stream.write("\r\x1b[K" + self.line(columns))
        self.last_draw, self.drawn = self.clock(), True


class _VariantBar:
    """What a render calls with (done, total) frames; finish() when the variant has ended."""

    def __init__(self, owner: BatchProgress, name: str):
        self.owner, self.name = owner, name
        self.plain = (
            None if owner.tty else ProgressDisplay(name, owner.stream, owner.quiet, owner.clock)
        )

    def __call__(self, done: int, total: int) -> None:
        self.owner.update(self.name, done, total, self.plain)

    def finish(self) -> None:
        self.owner.end(self.name)
