"""What the user sees while a render runs: a bar with ETA on a terminal, lines otherwise;
one display for a batch of variants rendering at once."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO


class ProgressDisplay:
    def __init__(self, label: str, stream: TextIO = sys.stderr, quiet: bool = False):
        self.label, self.stream, self.quiet = label, stream, quiet
        self.tty = stream.isatty()
        self.color = self.tty and not os.environ.get("NO_COLOR")
        self.start = time.monotonic()
        self.last_line = -1.0
        self.last_pct = -1
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        if self.quiet or total <= 0:
            return
        frac = min(1.0, done / total)
        elapsed = time.monotonic() - self.start
        eta = elapsed / frac - elapsed if frac > 0.02 else None
        eta_text = f"ETA {eta:4.0f}s" if eta is not None else "ETA   ?s"
        if self.tty:
            width = 28
            fill = int(frac * width)
            bar = "█" * fill + "·" * (width - fill)
            if self.color:
                bar = f"\x1b[36m{bar}\x1b[0m"
            self.stream.write(f"\r  {self.label:<16.16} {bar} {frac * 100:5.1f}%  {eta_text} ")
            self.stream.flush()
        else:
            pct = int(frac * 100) // 10 * 10
            due = pct > self.last_pct and time.monotonic() - self.last_line > 1.0
            if due or (pct == 100 and self.last_pct != 100):  # 100 % is always said once
                self.last_pct, self.last_line = pct, time.monotonic()
                self.stream.write(f"  {self.label}: {pct}% ({done}/{total} frames, {eta_text})\n")
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

    def __init__(self, stream: TextIO | None = None, quiet: bool = False):
        self.stream, self.quiet = stream or sys.stderr, quiet
        self.tty = self.stream.isatty()
        self.color = self.tty and not os.environ.get("NO_COLOR")
        self.lock = threading.Lock()
        self.totals: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.ended: set[str] = set()
        self.start: float | None = None
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
                self.start = time.monotonic()
            if total > 0:
                self.totals[name] = total
            self.done[name] = min(done, self.totals[name])
            if plain is not None:
                plain(done, total)
            elif time.monotonic() - self.last_draw > 0.1:
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
        frac = min(1.0, sum(self.done.values()) / total)
        elapsed = time.monotonic() - (self.start or time.monotonic())
        eta = f"ETA {elapsed / frac - elapsed:4.0f}s" if frac > 0.02 else "ETA   ?s"
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
        self.last_draw, self.drawn = time.monotonic(), True


class _VariantBar:
    """What a render calls with (done, total) frames; finish() when the variant has ended."""

    def __init__(self, owner: BatchProgress, name: str):
        self.owner, self.name = owner, name
        self.plain = None if owner.tty else ProgressDisplay(name, owner.stream, owner.quiet)

    def __call__(self, done: int, total: int) -> None:
        self.owner.update(self.name, done, total, self.plain)

    def finish(self) -> None:
        self.owner.end(self.name)
