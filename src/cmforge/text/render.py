"""Rasterise a styled, wrapped text block into a tight RGBA image."""

from __future__ import annotations

import itertools
import math
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from . import emoji, markup
from .draw import draw, shadow_params
from .fallback import FontChain, em_box, font_chain, glyph_metrics
from .fonts import resolve_face
from .style import TextStyle
from .wrap import WrapResult, clusters, wrap

PAD = 2  # transparent pixels kept around the ink in size estimates
WORDS_BEFORE_SIZE = 2 / 3  # auto size: the smallest scale accepted to keep phrases/words whole


@dataclass(frozen=True)
class _Extent:
    """Ink extent of one line in ems, relative to its pen origin and baseline."""

    advance: float
    left: float = 0.0
    right: float = 0.0
    top: float = 0.0
    bottom: float = 0.0

    @property
    def width(self) -> float:
        return self.right - self.left


Lit = tuple[bool, ...]  # per character of a line: is it highlighted (drawn at its scale)?


class _Layout:
    def __init__(
        self,
        text: str,
        style: TextStyle,
        box: tuple[int, int],
        chain: FontChain,
        marks: Lit = (),
    ):
        self.text, self.style, self.box, self.chain = text, style, box, chain
        self.asc, self.desc = em_box(chain.primary)
        # highlighted characters, where their size differs from the text's (else none: every
        # measure is the plain text's, as before highlights could be larger)
        self.scale = style.highlight_scale
        self.marks = marks if self.scale != 1.0 and any(marks) else ()
        self._extents: dict[str | tuple[str, Lit], _Extent] = {}
        self._clusters: dict[str, tuple[float, float, float, float, float]] = {}
        self._plans: dict[float, tuple[WrapResult, bool]] = {}

    def lit(self, start: int, n: int) -> Lit:
        """The highlight flags of ``n`` characters from ``start`` in the text (() when none)."""
        if not self.marks:
            return ()
        flags = self.marks[start : start + n]
        return flags if any(flags) else ()

    def lit_lines(self, lines: list[str]) -> list[Lit]:
        """The highlight flags of each wrapped line's characters."""
        if not self.marks:
            return [()] * len(lines)
        out = []
        for row in markup.char_indices(lines, self.text):
            flags = tuple(k >= 0 and self.marks[k] for k in row)
            out.append(flags if any(flags) else ())
        return out

    def line_scale(self, line: str, lit: Lit) -> float:
        """The size of a line's largest (or, all highlighted, smallest) type, 1 = the text's."""
        if not lit:
            return 1.0
        sizes = {self.scale if on else 1.0 for ch, on in zip(line, lit) if not ch.isspace()}
        return max(sizes) if sizes else 1.0

    def _cluster(self, cl: str) -> tuple[float, float, float, float, float]:
        """(advance, left, right, top, bottom) of one cluster in ems; left = inf if no ink."""
        hit = self._clusters.get(cl)
        if hit is None and emoji.picture_path(cl) is not None:
            e = emoji
            hit = self._clusters[cl] = (e.ADVANCE, e.LEFT, e.LEFT + e.SIDE, e.TOP, e.TOP + e.SIDE)
        if hit is None:
            x, left, right, top, bottom = 0.0, math.inf, -math.inf, math.inf, -math.inf
            for face, piece in self.chain.split(cl):
                g = glyph_metrics(face, self.style.weight, piece)
                if g.inked:
                    left, right = min(left, x + g.left), max(right, x + g.right)
                    top, bottom = min(top, g.top), max(bottom, g.bottom)
                x += g.advance
            hit = self._clusters[cl] = (x, left, right, top, bottom)
        return hit

    def extent(self, s: str, lit: Lit = ()) -> _Extent:
        """The ink extent of a line; ``lit``: its highlighted characters, drawn at the
        highlight's scale on the same baseline."""
        key = (s, lit) if lit else s
        hit = self._extents.get(key)
        if hit is not None:
            return hit
        x, left, right, top, bottom = 0.0, math.inf, -math.inf, math.inf, -math.inf
        i = 0
        for cl in clusters(s):
            adv, c_left, c_right, c_top, c_bottom = self._cluster(cl)
            if lit and lit[i]:
                k = self.scale
                adv, c_left, c_right, c_top, c_bottom = (
                    adv * k,
                    c_left * k,
                    c_right * k,
                    c_top * k,
                    c_bottom * k,
                )
            i += len(cl)
            if c_left != math.inf:
                left = min(left, x + c_left)
                right = max(right, x + c_right)
                top = min(top, c_top)
                bottom = max(bottom, c_bottom)
            x += adv
        if self.style.align == "left" or s[:1].isspace():
            # left-aligned lines align pen origins so 「 keeps its full width as in JIS
            # typesetting; leading spaces are deliberate indentation (e.g. 全角スペース)
            left = min(left, 0.0)
        ext = _Extent(x, left, right, top, bottom) if right > left else _Extent(x)
        self._extents[key] = ext
        return ext

    def measure(self, s: str) -> float:
        """The ink width of a line of plain (unmarked, or not larger) text."""
        return self.extent(s).width

    def measure_at(self, s: str, start: int) -> float:
        """The ink width of a line that starts at ``start`` in the text."""
        return self.extent(s, self.lit(start, len(s))).width

    def margin(self, size: float) -> float:
        m = self.style.stroke_px + PAD
        if self.style.shadow:
            offset, blur = shadow_params(size)
            m += offset + 3 * blur
        return m

    def block(self, lines: list[str]) -> tuple[float, float, float, list[float]]:
        """(width, top, bottom, baselines) of the block in ems; the first line's baseline is
        y = 0. Lines are ``line_spacing`` apart; a line holding larger (highlighted) type is
        further from its neighbours, by its ascent above and its descent below in the share
        of the em box they take (plain lines: exactly ``i * line_spacing``)."""
        pitch = self.style.line_spacing
        if not self.marks:
            exts = [self.extent(line) for line in lines] or [_Extent(0.0)]
            scales = [1.0] * len(exts)
            base = [i * pitch for i in range(len(exts))]
        else:
            lits = self.lit_lines(lines)
            exts = [self.extent(line, lit) for line, lit in zip(lines, lits)] or [_Extent(0.0)]
            scales = [self.line_scale(line, lit) for line, lit in zip(lines, lits)] or [1.0]
            up, down = self.asc / (self.asc + self.desc), self.desc / (self.asc + self.desc)
            extra, grown = 0.0, [0.0]
            for a, b in itertools.pairwise(scales):
                extra += down * (a - 1.0) + up * (b - 1.0)
                grown.append(extra)
            base = [(i + g) * pitch for i, g in enumerate(grown)]
        width = max(e.width for e in exts)
        top = min(y + min(-self.asc * k, e.top) for y, k, e in zip(base, scales, exts))
        bottom = max(y + max(self.desc * k, e.bottom) for y, k, e in zip(base, scales, exts))
        return width, top, bottom, base

    def wrap_at(self, size: float, balance: bool, phrase: bool = True) -> WrapResult | None:
        width_em = (self.box[0] - 2 * self.margin(size)) / size
        if width_em <= 0:
            return None
        at = self.measure_at if self.marks else None
        return wrap(
            self.text, self.measure, width_em, balance=balance, phrase=phrase, measure_at=at
        )

    def _fits(self, size: float, res: WrapResult) -> bool:
        width, top, bottom, _ = self.block(res.lines)
        m = 2 * self.margin(size)
        return (
            math.ceil(width * size + m) <= self.box[0]
            and math.ceil((bottom - top) * size + m) <= self.box[1]
        )

    def plan(self, size: float) -> tuple[WrapResult, bool]:
        """Wrap at ``size`` and tell whether the resulting image fits the box: broken at
        phrases (文節) first; where that needs more lines than the box holds, anywhere 禁則
        allows (the result's ``phrase`` says which)."""
        hit = self._plans.get(size)
        if hit is not None:
            return hit
        res = self.wrap_at(size, balance=False)
        fits = res is not None and self._fits(size, res)
        if res is not None and not fits and len(res.lines) > 1:
            fewest = self.wrap_at(size, balance=False, phrase=False)
            if fewest is not None and self._fits(size, fewest):
                res, fits = fewest, True
        self._plans[size] = (res or WrapResult([]), fits)
        return self._plans[size]


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


def _choose_size(lay: _Layout) -> float:
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
    lay: _Layout, ok: Callable[[float], bool], lo: float, hi: float, steps: int = 12
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
    lay = _Layout(text, style, (bw, bh), chain, marks)
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
