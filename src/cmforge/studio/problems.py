"""A recipe's problem as the page shows it: where, what, a hint, and the recipe lines around
it (shown when the problem is clicked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Problem

CONTEXT = 3  # recipe lines shown above and below a problem's line


def describe(p: Problem) -> dict:
    """A problem as the page shows it: where, what, a hint, and the lines around it."""
    file = Path(p.file) if isinstance(p.file, Path | str) and p.file else None
    context: list[list[Any]] = []
    if file is not None and p.line and file.is_file():
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        first = max(1, p.line - CONTEXT)
        context = [[n, lines[n - 1]] for n in range(first, min(len(lines), p.line + CONTEXT) + 1)]
    return {
        "file": file.name if file is not None else (p.origin or ""),
        "key": p.key,
        "line": p.line,
        "message": p.message,
        "hint": p.hint,
        "severity": p.severity,
        "context": context,
    }
