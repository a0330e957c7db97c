"""Rasterise a styled, wrapped text block into a tight RGBA image."""

from __future__ import annotations

import math
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from . import markup
from .block import TextLayout
from .draw import draw
from .fallback import font_chain
from .fonts import resolve_face
from .style import TextStyle

WORDS_BEFORE_SIZE = 2 / 3  # auto size: the smallest scale accepted to keep phrases/words whole


def _largest(pred: Callable[[float], bool], lo: float, hi: float) -> float | None:
    """Largest size in [lo, hi] (hi itself or a half-pixel step) satisfying ``pred``."""
    if pred(hi):
        return hi
    a, b = max(1, math.ceil(lo * 2)), math.floor(hi * 2)
    if b < a or not pred(a / 2):
        return None
    while b - a > 1:
        mid = (a + b) // 2
        a, b = (mid, b) if pred(mid / 2) else (a, mid)
    return a / 2


def _choose_size(lay: TextLayout) -> float:
    st, (bw, bh) = lay.style, lay.box
    auto = st.size is None
    hi = st.size if st.size is not None else st.max_size or min(bw / 4, bh / st.line_spacing)
    hi = max(hi, st.min_size) if auto else hi
    lo = min(st.min_size, hi)

    def fits(s: float) -> bool:
        return lay.plan(s)[1]

    def whole_words(s: float) -> bool:
        res, ok = lay.plan(s)
        return ok and res.forced == 0

    def phrases(s: float) -> bool:
        res, ok = lay.plan(s)
        return ok and res.forced == 0 and res.phrase_ok

    def words(s: float) -> bool:  # a phrase wider than the line, broken between its words
        res, ok = lay.plan(s)
        return ok and res.split_words == 0 and res.forced == 0

    if not auto and fits(hi):
        return hi
    size = _largest(whole_words, lo, hi) or _largest(fits, lo, hi)
    if size is None:
        warnings.warn(
            f"text {lay.text[:30]!r} does not fit {bw}x{bh} at min_size {st.min_size}; shrinking",
            stacklevel=3,
        )
        return _largest(fits, 1, lo) or 1.0
    if auto:  # accept a size up to a third smaller when it gives phrase-level (文節) line
        # breaks, else breaks between words at least (新学期スタート|ダッシュキャンペーン):
        # a word broken across lines reads worse than smaller type
        floor = max(lo, size * WORDS_BEFORE_SIZE)
        nicer = _largest(phrases, floor, size) or _fewest_splits(lay, words, floor, size)
        size = nicer or size
    return size


def _fewest_splits(
    lay: TextLayout, ok: Callable[[float], bool], lo: float, hi: float, steps: int = 12
) -> float | None:
    """Among sizes from hi down to lo (half pixels, evenly apart) where ``ok`` holds, the one
    whose lines split the fewest phrases, the largest of those: 新学期スタートダッシュ|
    キャンペーンは at 81 px rather than 新学期スタート|ダッシュ|キャンペーンは at 88 (splits
    are not monotonic in the size, so the sizes are tried, not bisected)."""
    sizes = dict.fromkeys(round((hi - (hi - lo) * k / steps) * 2) / 2 for k in range(steps + 1))
    found = [s for s in sizes if s >= lo and ok(s)]
    if not found:
        return None
    return min(found, key=lambda s: (lay.plan(s)[0].split_phrases, -s))


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


def render_text(
    text: str,
    style: TextStyle,
    box: tuple[int, int],
    base_dir: Path | None = None,
    reveal: int | None = None,
) -> Image.Image:
    """Render ``text`` into an RGBA image no larger than ``box`` = (width, height).

    The text is wrapped (kinsoku, balanced lines) to the box width and auto-sized when
    ``style.size`` is None; a fixed size that cannot fit is shrunk rather than clipped.  The
    image is tight around the text block plus stroke/shadow; ``image.info`` carries
    ``font_size`` and ``lines``. ``**word**`` is drawn in ``style.highlight`` (text/markup.py);
    emoji are drawn in colour (text/emoji.py). ``reveal``: only the first ``reveal`` characters
    of the text (markup removed) are drawn, the rest keep their place: the same size, lines and
    image size as the whole text, so a typewriter's steps line up.
    """
    bw, bh = int(box[0]), int(box[1])
    if bw < 1 or bh < 1:
        raise ValueError(f"box must be at least 1x1, got {box!r}")
    text, marks = markup.parse(_clean(text))
    chain = font_chain(resolve_face(style.font, style.weight, base_dir), style.weight)
    if not text.strip():
        return Image.new("RGBA", (1, 1), (0, 0, 0, 0))
    missing = chain.missing(text)
    if missing:
        warnings.warn(f"no available font has glyphs for {''.join(missing)!r}", stacklevel=2)
    lay = TextLayout(text, style, (bw, bh), chain, marks)
    size = _choose_size(lay)
    img = Image.new("RGBA", (1, 1), (0, 0, 0, 0))
    lines: list[str] = []
    for _ in range(12):
        res = lay.wrap_at(size, balance=style.balance, phrase=lay.plan(size)[0].phrase)
        lines = res.lines if res is not None else []
        img, crop = draw(lay, size, lines, marks)
        if img.width <= bw and img.height <= bh or size <= 1:
            break
        size = max(1.0, math.floor(size * 0.97 * 2) / 2)  # estimate was a pixel off: retry
    if reveal is not None and reveal < len(text):
        img, _ = draw(lay, size, lines, marks, reveal, crop)
    if img.width > bw or img.height > bh:
        img.thumbnail((bw, bh), Image.Resampling.LANCZOS)
    img.info.update(font_size=size, lines=lines)
    return img
