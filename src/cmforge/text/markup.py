"""Highlight markup in a text: ``**合格**`` is drawn in the style's highlight colour.

``\\*`` is a literal asterisk (so ``\\*\\*`` is a literal ``**``) and ``\\\\`` a literal
backslash; an opening ``**`` with no closing one is kept as written.
"""

from __future__ import annotations

import functools
import itertools


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> tuple[str, tuple[bool, ...]]:
    """(the text without markup, for each of its characters: is it highlighted?)"""
    if "*" not in text and "\\" not in text:
        return text, (False,) * len(text)
    out: list[str] = []
    marks: list[bool] = []
    opened: int | None = None  # index in `out` where the open ** was
    i, on = 0, False
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "*\\":
            out.append(text[i + 1])
            marks.append(on)
            i += 2
            continue
        if text.startswith("**", i):
            if on:
                on, opened = False, None
            else:
                on, opened = True, len(out)
            i += 2
            continue
        out.append(ch)
        marks.append(on)
        i += 1
    if on and opened is not None:  # unclosed: the ** was meant literally
        out[opened:opened] = ["*", "*"]
        marks[opened:] = [False] * (len(marks) - opened + 2)
    return "".join(out), tuple(marks)


def plain(text: str) -> str:
    """The text as a viewer reads it (markup removed)."""
    return parse(text)[0]


def char_indices(lines: list[str], text: str) -> list[list[int]]:
    """For each character of each wrapped line, its index in ``text`` (-1 when the line breaker
    added it); lines are in order and only drop or add white space."""
    pos, out = 0, []
    for line in lines:
        row = []
        for ch in line:
            j = text.find(ch, pos)
            if j < 0 or (j > pos and not text[pos:j].isspace()):
                row.append(-1)
                continue
            row.append(j)
            pos = j + 1
        out.append(row)
    return out


def spans(flags: list[int]) -> list[tuple[int, int, int]]:
    """Runs of equal flags: (start, end, flag)."""
    out, i = [], 0
    for flag, group in itertools.groupby(flags):
        n = len(list(group))
        out.append((i, i + n, flag))
        i += n
    return out
