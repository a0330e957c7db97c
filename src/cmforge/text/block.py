"""A text block's measures, in ems of its font size: the ink extent of each line (highlighted
runs at their scale), the lines' baselines (a line holding larger type grows), and the text
wrapped at a size with whether it then fits its box. Pure measuring: drawing is draw.py's."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from . import emoji, markup
from .draw import shadow_params
from .fallback import FontChain, em_box, glyph_metrics
from .style import TextStyle
from .wrap import WrapResult, clusters, wrap

PAD = 2  # transparent pixels kept around the ink in size estimates


@dataclass(frozen=True)
class Extent:
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


class TextLayout:
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
        self._extents: dict[str | tuple[str, Lit], Extent] = {}
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

    def extent(self, s: str, lit: Lit = ()) -> Extent:
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
        ext = Extent(x, left, right, top, bottom) if right > left else Extent(x)
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
            exts = [self.extent(line) for line in lines] or [Extent(0.0)]
            scales = [1.0] * len(exts)
            base = [i * pitch for i in range(len(exts))]
        else:
            lits = self.lit_lines(lines)
            exts = [self.extent(line, lit) for line, lit in zip(lines, lits)] or [Extent(0.0)]
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
