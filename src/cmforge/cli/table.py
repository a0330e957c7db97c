"""Text tables that stay aligned in a terminal with Japanese in them.

A terminal gives a wide (W) or full-width (F) character two columns (`unicodedata`'s East
Asian width: kanji, kana, full-width forms, most emoji), a combining mark or a zero-width
character none, anything else one. Ambiguous characters (A: `①`, `…`, Greek) count as one,
as in a terminal set up for Japanese by default (macOS Terminal, GNOME, Windows Terminal).
A line break or tab inside a cell would break the row, so it is shown as `⏎` or a space."""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"  # the mark of a cell cut to its width
_SHOWN = {"\n": "⏎", "\r": "", "\t": " "}


def char_width(ch: str) -> int:
    """The columns one character takes in a terminal: 0, 1 or 2."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def width(text: str) -> int:
    """The columns text takes in a terminal."""
    return sum(char_width(ch) for ch in text)


def one_line(text: str) -> str:
    """Text made fit for one row: line breaks shown as ⏎, tabs as spaces, other control
    characters dropped."""
    return "".join(_SHOWN.get(ch, ch if unicodedata.category(ch) != "Cc" else "") for ch in text)


def cell(text: str, columns: int, align: str = "<") -> str:
    """Text padded to exactly `columns` terminal columns (align "<" left, ">" right); longer
    text is cut and ends with `…`, never half a wide character."""
    text = one_line(text)
    if width(text) > columns:
        out, used = "", 0
        for ch in text:
            w = char_width(ch)
            if used + w > columns - 1:
                break
            out, used = out + ch, used + w
        text = out + ELLIPSIS
    pad = " " * (columns - width(text))
    return pad + text if align == ">" else text + pad


def align(rows: list[list[str]], gap: str = "  ") -> list[str]:
    """Rows of cells as lines, each column as wide as its widest cell; trailing spaces cut."""
    if not rows:
        return []
    rows = [[one_line(c) for c in r] for r in rows]
    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [gap.join(cell(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
