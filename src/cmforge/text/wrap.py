"""Japanese-aware line breaking: phrases (文節) found by BudouX, on top of 禁則 rules. Pure
functions; no Pillow here.

Where a line may break, and how good each break is, is breaks.py's (clusters, 禁則, BudouX
phrases, words, numbers with their units). Here the lines are chosen by best fit over the whole
paragraph (dynamic programming over the break positions, cheap since a line spans a few dozen
clusters): first no break against 禁則 or inside a word or number, then as few breaks inside
phrases, words and script runs as the width allows, then the fewest lines, then no last line of
1-2 characters where another break avoids it, then even lines (``balance``) or lines filled in
turn. ``phrase=False`` counts lines before the breaks inside phrases: the fewest lines, broken
as well as they allow (the renderer's fallback when the phrases cannot fit its box). An
explicit newline forces a break.

Widths come from a caller-supplied ``measure`` that should return the *ink* width of a string;
trailing punctuation such as 。 or 」 then counts only with its inked half, which lets it be
pushed into a full line (追い込み / ぶら下げ-lite) instead of being pushed out.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from .breaks import (
    GLUE,
    INSEPARABLE,
    KINSOKU,
    NO_END,
    NO_START,
    PHRASE,
    RUN,
    SEGMENT,
    SPACES,
    UNITS,
    WORD,
    break_levels,
    can_break,
    clusters,
    is_space,
    phrase_starts,
)

__all__ = [
    "INSEPARABLE",
    "LAYOUT_VERSION",
    "NO_END",
    "NO_START",
    "UNITS",
    "WrapResult",
    "can_break",
    "clusters",
    "layout_lines",
    "phrase_starts",
    "wrap",
]

Measure = Callable[[str], float]
MeasureAt = Callable[[str, int], float]  # a line's width, told where in the text it starts
# part of the name of every cached text picture: raise it when line breaking changes, so that
# pictures wrapped the old way are made again (3: BudouX phrases)
LAYOUT_VERSION = 3


@dataclass
class WrapResult:
    lines: list[str]
    forced: int = 0  # breaks inside a word or number (or against 禁則): a last resort
    split_phrases: int = 0  # breaks inside a phrase (文節)
    split_words: int = 0  # breaks inside a word (at a 禁則-only break)
    phrase_ok: bool = True  # every paragraph was broken at phrase boundaries only
    phrase: bool = True  # broken at phrases first (else anywhere 禁則 allows: fewest lines)


_SHAPE = 10**6  # unevenness, in millionths of a full line's
_WEAK = _SHAPE // 2  # a BudouX break between two kanji costs half a full line's unevenness
_SHORT = 10**9  # a short last line: above any unevenness
_SLOT = 10**3  # each count above: up to 999 of one kind never outweighs one of the next


@functools.lru_cache(maxsize=256)
def _analysed(para: str) -> tuple[list[int], set[int], list[int], list[int]]:
    """The paragraph's break levels, BudouX's kanji|kanji breaks, and per cluster boundary the
    offset in characters and the count of visible clusters before it (cached: a text is
    wrapped at many sizes while its size is chosen)."""
    cl = clusters(para)
    levels, weak = break_levels(cl, para)
    offsets = [0, *itertools.accumulate(len(c) for c in cl)]
    visible = [0, *itertools.accumulate(0 if is_space(c[0]) else 1 for c in cl)]
    return levels, weak, offsets, visible


def _wrap_paragraph(
    para: str,
    measure: Measure,
    width: float,
    balance: bool,
    phrase: bool,
    measure_at: MeasureAt | None = None,
    at: int = 0,
) -> WrapResult:
    """The best breaks by dynamic programming over break positions, minimising, in order:
    breaks against 禁則, then inside words or numbers; then (``phrase``) breaks inside a run of
    one script, at other 禁則-only breaks, between words inside a phrase, and only then the
    number of lines (without ``phrase``, the number of lines before those: the fewest lines,
    broken as well as they allow); then a last line of 1-2 characters; then unevenness (with
    ``balance``, the sum of squared line widths, least for a given number of lines when they
    are equal; without, the squared room left on every line but the last: lines filled in
    turn). A BudouX break between two kanji adds half a line's unevenness. ``at``: where the
    paragraph starts in the text, for ``measure_at`` (told where each line starts)."""
    whole = para.rstrip(SPACES)
    if not para or (measure(whole) if measure_at is None else measure_at(whole, at)) <= width:
        return WrapResult([para.rstrip(SPACES)], phrase=phrase)
    levels, weak, offsets, visible = _analysed(para)
    n = len(levels)

    def line(i: int, j: int) -> str:
        s = para[offsets[i] : offsets[j]].rstrip(SPACES)
        return s if i == 0 else s.lstrip(SPACES)

    def placed(i: int, j: int) -> float:  # measure_at's width of line(i, j)
        assert measure_at is not None
        seg = para[offsets[i] : offsets[j]]
        lead = 0 if i == 0 else len(seg) - len(seg.lstrip(SPACES))
        return measure_at(line(i, j), at + offsets[i] + lead)

    # A cost is one integer, compared as the tuple of counts it packs, most important first:
    # breaks against 禁則, inside words or numbers, [lines,] inside a run of one script, at
    # other 禁則-only breaks, at words inside phrases, [lines,] a short last line, then shape
    # (in millionths): lines after the breaks at phrases first, before them for the fewest.
    order = [KINSOKU, GLUE, RUN, SEGMENT, WORD, "lines"]
    if not phrase:
        order = [KINSOKU, GLUE, "lines", RUN, SEGMENT, WORD]
    weight = {key: _SHORT * _SLOT ** (len(order) - k) for k, key in enumerate(order)}
    brk = [weight.get(lv, 0) + (_WEAK if j in weak else 0) for j, lv in enumerate(levels)]
    per_line = weight["lines"]
    best: list[int | None] = [None] * (n + 1)
    back = [0] * (n + 1)
    best[0] = 0
    for i in range(n):
        base = best[i]
        if base is None:
            continue
        base += per_line
        for j in range(i + 1, n + 1):
            w = measure(line(i, j)) if measure_at is None else placed(i, j)
            if w > width and j > i + 1:
                break
            if j < n:
                fill = w / width if balance else 1 - w / width
                cost = base + brk[j] + round(fill * fill * _SHAPE)
            else:
                cost = base + (round(w * w / (width * width) * _SHAPE) if balance else 0)
                if balance and i > 0 and visible[j] - visible[i] <= 2:
                    cost += _SHORT
            if best[j] is None or cost < best[j]:
                best[j], back[j] = cost, i
    cuts, j = [], n
    while j > 0:
        cuts.append(j)
        j = back[j]
    bounds = [0, *reversed(cuts)]
    lines = [line(a, b) for a, b in itertools.pairwise(bounds)]
    inner = [levels[k] for k in bounds[1:-1]]
    res = WrapResult(
        lines,
        forced=sum(lv <= GLUE for lv in inner),
        split_phrases=sum(lv < PHRASE for lv in inner),
        split_words=sum(lv <= SEGMENT for lv in inner),
        phrase=phrase,
    )
    res.phrase_ok = res.split_phrases == 0
    return res


def wrap(
    text: str,
    measure: Measure,
    max_width: float,
    *,
    balance: bool = True,
    phrase: bool = True,
    measure_at: MeasureAt | None = None,
) -> WrapResult:
    """Break ``text`` into lines no wider than ``max_width``, reporting what had to give:
    phrases split, words split, and words or numbers broken by character. With ``phrase``
    (the default) lines break at phrases first, even when breaking inside them would save a
    line; without it, anywhere 禁則 allows (the fewest lines). ``measure_at(line, start)``,
    when given, is used instead of ``measure``: it is also told where in ``text`` the line
    starts (a highlighted run may be drawn larger than the same characters elsewhere)."""
    total = WrapResult([], phrase=phrase)
    at = 0
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        res = _wrap_paragraph(para, measure, max_width, balance, phrase, measure_at, at)
        at += len(para) + 1
        total.lines += res.lines
        total.forced += res.forced
        total.split_phrases += res.split_phrases
        total.split_words += res.split_words
        total.phrase_ok = total.phrase_ok and res.phrase_ok
    return total


def layout_lines(
    text: str,
    measure: Measure,
    max_width: float,
    *,
    balance: bool = True,
    phrase: bool = True,
) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (as judged by ``measure``).

    Explicit newlines are kept.  Kinsoku rules are always applied; ``balance`` evens out line
    lengths (no orphan on the last line); ``phrase`` breaks at BudouX phrases (文節) first.
    """
    return wrap(text, measure, max_width, balance=balance, phrase=phrase).lines
