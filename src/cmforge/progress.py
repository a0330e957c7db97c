"""What the user sees while a render runs: a bar with ETA on a terminal, lines otherwise."""

from __future__ import annotations

import os
import sys
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
        if not self.quiet and self.tty:
            self.stream.write("\n")
            self.stream.flush()
