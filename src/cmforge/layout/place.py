"""The layout stage: every box that carries text or a logo placed on whole pixels inside the
safe zone, and captions and overlays kept clear of each other and of the end slate.

The rules, in order (docs/recipe.md, *Layout*):

1. Scene parts (a title's text, the end slate's logo, name and line) go in the band of the
   safe zone their kind asks for. A text is wrapped and shrunk to fit its band; if it then
   touches a box the app covers (TikTok's buttons), it moves up or down inside its band, or
   else its band is narrowed to the side away from the buttons and the text fitted again.
2. Overlays go in their corner of the safe zone, below (or above) any box the app covers.
   One that would cover the end slate's logo or text (or, where a corner is free of it, a
   title card's text it shares most of its time with) moves to the other corner on the same
   edge, then the corner on the other edge, then the opposite corner; nowhere free is an
   error.
3. Captions go in their band (bottom, top, center) of the safe zone. One that would cover the
   end slate's logo or text, an overlay or an earlier caption in a frame where both are visible
   (or, where there is room, a title card's text it shares most of its time with) moves:
   bottom → top, top → bottom, center → bottom → top; then into the strips of the zone
   left free by what is on screen with it, the lowest first (shrinking to fit, down to the
   readable minimum); nowhere free is an error.
4. A text that cannot fit at the readable minimum (MIN_TEXT_PX) is an error naming its key.
5. Captions and overlays with `x` and `y` are pinned: kept where the recipe puts them; a
   collision, or leaving the safe zone, is a warning.
6. A caption gets a band behind it when the picture behind its box is too busy for its colour
   (contrast.py: below 3:1 at the 10th percentile) and no outline already separates it; a
   picture not known yet (a clip still to generate) counts as busy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageOps

from ..errors import Problem, RecipeError
from ..timeline import Timeline
from .contrast import READABLE, contrast, outlined
from .geometry import Box
from .measure import MIN_TEXT_PX, Measured, measure, text_style, too_small
from .model import Layout, LogoBox, Part, TextBlock
from .zones import zone_for

GAP = 12  # px at 1080 kept between two boxes that may not touch
BAND_PAD = 16  # px at 1080 around a caption's text: room for its band (its box includes it)
CAPTION_BAND = {True: 0.16, False: 0.24}  # caption band height / frame height: vertical, other
CAPTION_MOVES = {
    "bottom": ("bottom", "top"),
    "top": ("top", "bottom"),
    "center": ("center", "bottom", "top"),
}
Measure = Callable[..., Measured]
Backdrop = Callable[[int, int], list]  # frames [start, end) -> pictures behind (None: unknown)


def _even_down(v: float) -> int:
    n = int(v // 1)
    return n - n % 2


def _even_up(v: float) -> int:
    n = int(-(-v // 1))
    return n + n % 2


def _band(zone: Box, top: float, bottom: float) -> Box:
    y0, y1 = _even_up(zone.y + zone.h * top), _even_down(zone.y + zone.h * bottom)
    return Box(zone.x, y0, zone.w, max(2, y1 - y0))


def _position(
    w: int, h: int, region: Box, align: str, valign: str, centre: float | None = None
) -> Box:
    """A w x h box in `region`, on even pixels (overlays land on even pixels in 4:2:0). A
    centred box is centred on `centre` (the frame's middle) as far as the region allows, so
    a zone wider on one side (Shorts' buttons on the right) does not push short text aside."""
    x = region.x + (region.w - w) * {"left": 0.0, "right": 1.0}.get(align, 0.5)
    if centre is not None and align not in ("left", "right"):
        x = min(max(centre - w / 2, region.x), region.right - w)
    y = region.y + (region.h - h) * {"top": 0.0, "bottom": 1.0}.get(valign, 0.5)
    x, y = _even_down(x), _even_down(y)
    if x < region.x:
        x += 2
    if y < region.y:
        y += 2
    return Box(x, y, w, h)


class _Stage:
    def __init__(self, tl: Timeline, measure_fn: Measure, image_size: Callable):
        self.tl, self.measure_fn, self.image_size = tl, measure_fn, image_size
        self.w, self.h = tl.width, tl.height
        self.scale = min(self.w, self.h) / 1080
        self.gap = max(2, round(GAP * self.scale))
        self.zone = zone_for(tl.recipe.output, self.w, self.h)
        self.base_dir = tl.recipe.folder
        self.texts: list[TextBlock] = []
        self.logos: list[LogoBox] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    # --- text in a region -------------------------------------------------------------------
    def fit(
        self,
        key: str,
        text: str,
        style,
        region: Box,
        valign: str,
        pad: int = 0,
        symmetric: bool = False,
        quiet: bool = False,
    ):
        """(measured, box, measure box) of a text fitted into `region` (rule 1), or None with a
        problem said (quiet: a trial, nothing said). `pad`: room kept around the text on every
        side (a caption's band), part of its box."""

        def sized(r: Box) -> tuple[Measured, Box]:
            inner = (max(1, r.w - 2 * pad), max(1, r.h - 2 * pad))
            m = self.measure_fn(text, style, inner, self.base_dir)
            bw, bh = m.width + 2 * pad, m.height + 2 * pad
            return m, _position(bw, bh, r, style.align, valign, self.w / 2)

        m, box = sized(region)
        hit = self.zone.hit(box)
        if hit is not None:
            moved = self._dodge(box, region, hit)
            if moved is not None:
                box = moved
            else:
                region = self._narrow(region, hit, symmetric and style.align == "center")
                m, box = sized(region)
        if too_small(m, style) or not self.zone.allows(box):
            if quiet:
                return None
            where = self._where()
            self.problems.append(
                Problem(
                    f"{_short(text)} does not fit its place in the {where} at a readable size "
                    f"(at least {style.min_size:g} px on this frame, {MIN_TEXT_PX:g} px at "
                    f"1080; it would need {m.font_size:g} px)",
                    key=key,
                    hint="shorten it or split it in two; a smaller `size` set on purpose is "
                    "kept (`cmforge plan --json` lists the safe zone and every box)",
                )
            )
            return None
        return m, box, (max(1, region.w - 2 * pad), max(1, region.h - 2 * pad))

    def _dodge(self, box: Box, region: Box, hit: Box) -> Box | None:
        for y in (_even_down(hit.y - box.h - 1), _even_up(hit.bottom + 1)):
            moved = replace(box, y=y)
            if moved.inside(region) and self.zone.allows(moved):
                return moved
        return None

    def _narrow(self, region: Box, hit: Box, symmetric: bool) -> Box:
        """The region with the side the buttons are on cut away (both sides alike for a
        centred card part, so it stays centred on the frame)."""
        if symmetric:
            if hit.x + hit.w / 2 < region.x + region.w / 2:
                cut = _even_up(hit.right + 1) - region.x
            else:
                cut = region.right - _even_down(hit.x - 1)
            return Box(region.x + cut, region.y, max(2, region.w - 2 * cut), region.h)
        if hit.x + hit.w / 2 >= region.x + region.w / 2:  # the buttons are on the right
            right = min(region.right, _even_down(hit.x - 1))
            return replace(region, w=max(2, right - region.x))
        left = max(region.x, _even_up(hit.right + 1))
        return Box(left, region.y, max(2, region.right - left), region.h)

    def _where(self) -> str:
        names = ", ".join(self.zone.platforms) or "generic"
        b = self.zone.box
        return f"safe zone ({names}: x {b.x}-{b.right}, y {b.y}-{b.bottom})"

    # --- scenes -----------------------------------------------------------------------------
    def scenes(self) -> None:
        for p in self.tl.scenes:
            for part in p.scene.layout_parts(self.scale):
                key = f"{p.scene.key}.{part.name}"
                band = _band(self.zone.box, *part.band)
                width = _even_down(band.w * part.width)
                region = Box(_even_down(band.x + (band.w - width) / 2), band.y, width, band.h)
                if part.logo is not None:
                    self._scene_logo(key, part, region, p.start, p.end)
                elif part.text and part.style is not None:
                    got = self.fit(key, part.text, part.style, region, "center", symmetric=True)
                    if got is not None:
                        m, box, mbox = got
                        self.texts.append(
                            TextBlock(
                                key,
                                part.text,
                                part.style,
                                mbox,
                                box,
                                m.font_size,
                                m.lines,
                                p.start,
                                p.end,
                                part.role,
                            )
                        )

    def _scene_logo(self, key: str, part: Part, region: Box, start: int, end: int) -> None:
        iw, ih = self.image_size(part.logo)
        k = min(region.w / iw, region.h / ih, 1.0)  # as the card draws it: never enlarged
        lw, lh = max(2, int(iw * k)), max(2, int(ih * k))
        box = _position(lw, lh, region, "center", "center", self.w / 2)
        hit = self.zone.hit(box)
        if hit is not None:
            box = self._dodge(box, region, hit) or box
        if not self.zone.allows(box):
            self.problems.append(
                Problem(
                    f"the logo does not fit the {self._where()}",
                    key=key,
                    hint="use a logo with less empty space around it",
                )
            )
            return
        self.logos.append(LogoBox(key, part.logo, box, start, end, part.role))

    # --- overlays and captions ---------------------------------------------------------------
    def busy(self, box: Box, start: int, end: int, skip: str = "", cards: bool = False) -> list:
        """The placed boxes `box` would touch in a frame where both are visible. cards: a
        title card's text counts too when it is on screen for most of [start, end) (a caption
        over a headline is avoided where there is room; a crossfade's few frames do not
        count)."""
        out = []
        for item in (*self.texts, *self.logos):
            if item.key == skip or not (item.start < end and start < item.end):
                continue
            shared = min(end, item.end) - max(start, item.start)
            if item.role == "card" and not (cards and shared * 2 > end - start):
                continue
            if box.overlaps(item.box, self.gap):
                out.append(item)
        return out

    def overlays(self) -> None:
        for t in self.tl.overlays:
            o = t.item
            key = f"overlays[{o.index}]"
            iw, ih = self.image_size(o.src)
            ow = max(2, int(round(o.scale * self.w / 2)) * 2)
            oh = max(2, round(ih * ow / iw))
            pinned = _pin(o, self.w, self.h)
            if pinned is not None:
                box = Box(pinned[0], pinned[1], ow, oh)
                self._pinned(key, box, t.start, t.end)
                self.logos.append(LogoBox(key, o.src, box, t.start, t.end, "overlay", True))
                continue
            tried: list[str] = []
            corners = _corners(o.position)
            # clear of a title card's text where a corner allows, else of what must be clear
            for pos, cards in [(c, True) for c in corners] + [(c, False) for c in corners]:
                box = self._corner(pos, ow, oh)
                tried += [] if pos in tried else [pos]
                if box is not None and not self.busy(box, t.start, t.end, cards=cards):
                    self.logos.append(LogoBox(key, o.src, box, t.start, t.end, "overlay"))
                    break
            else:
                self._collision(key, "overlay", self._corner(o.position, ow, oh), t, tried)

    def _corner(self, pos: str, w: int, h: int) -> Box | None:
        z = self.zone.box
        if w > z.w or h > z.h:
            return None
        vert, _, horiz = pos.partition("-") if "-" in pos else (pos, "", "center")
        if pos == "center":
            vert = "center"
        region = z
        valign = vert if vert in ("top", "bottom") else "center"
        box = _position(w, h, region, horiz, valign, self.w / 2)
        hit = self.zone.hit(box)
        if hit is not None:
            y = _even_up(hit.bottom + 1) if vert != "bottom" else _even_down(hit.y - h - 1)
            box = replace(box, y=y)
        return box if self.zone.allows(box) else None

    def captions(self) -> None:
        vertical = self.h > self.w
        band_h = _even_down(min(self.h * CAPTION_BAND[vertical], self.zone.box.h / 3))
        pad = max(2, round(BAND_PAD * self.scale))
        for t in self.tl.captions:
            c = t.item
            key = f"captions[{c.index}]"
            style = text_style(c.style, self.scale)
            pinned = _pin(c, self.w, self.h)
            if pinned is not None:
                room = (
                    max(2, min(self.zone.box.w, self.w - pinned[0]) - 2 * pad),
                    band_h - 2 * pad,
                )
                m = self.measure_fn(c.text, style, room, self.base_dir)
                box = Box(pinned[0], pinned[1], m.width + 2 * pad, m.height + 2 * pad)
                self._pinned(key, box, t.start, t.end)
                self.texts.append(
                    TextBlock(
                        f"{key}.text",
                        c.text,
                        style,
                        room,
                        box,
                        m.font_size,
                        m.lines,
                        t.start,
                        t.end,
                        "caption",
                        True,
                        pad=pad,
                    )
                )
                continue
            placed = self._caption(key, c, style, t, band_h, pad)
            if placed is not None:
                self.texts.append(placed)

    def _caption(self, key: str, c, style, t, band_h: int, pad: int) -> TextBlock | None:
        """A caption placed by rule 3: its band, the other band, then the free strips of the
        zone (lowest first) between what is on screen with it; None with the problem said."""
        tried: list[str] = []
        trials = [(pos, self._caption_band(pos, band_h), pos) for pos in CAPTION_MOVES[c.position]]
        strips = self._strips(t.start, t.end, band_h, cards=True)
        strips += [s for s in self._strips(t.start, t.end, band_h) if s not in strips]
        trials += [("free strip", r, "bottom") for r in strips]
        first = None
        # first clear of a title card's text too, then clear of what must never be covered
        trials = [(*tr, True) for tr in trials] + [(*tr, False) for tr in trials]
        for name, region, valign, cards in trials:
            got = self.fit(f"{key}.text", c.text, style, region, valign, pad, quiet=True)
            if got is None:
                if not tried:  # does not fit its own band at a readable size: say so
                    self.fit(f"{key}.text", c.text, style, region, valign, pad)
                    return None
                continue
            m, box, mbox = got
            first = first or box
            if name not in tried:
                tried.append(name)
            if not self.busy(box, t.start, t.end, cards=cards):
                return TextBlock(
                    f"{key}.text",
                    c.text,
                    style,
                    mbox,
                    box,
                    m.font_size,
                    m.lines,
                    t.start,
                    t.end,
                    "caption",
                    pad=pad,
                )
        self._collision(key, "caption", first, t, tried)
        return None

    def _strips(self, start: int, end: int, most: int, cards: bool = False) -> list[Box]:
        """The horizontal strips of the zone clear of everything on screen in [start, end)
        (cards: a title card's text too, as `busy` counts it), at most `most` px tall, the
        lowest first."""
        z, g = self.zone.box, self.gap
        whole = Box(0, 0, self.w, self.h)
        taken = sorted(
            (max(z.y, i.box.y - g), min(z.bottom, i.box.bottom + g))
            for i in self.busy(whole, start, end, cards=cards)
            if i.box.overlaps(z)
        )
        strips, y = [], z.y
        for a, b in taken:
            if a > y:
                strips.append((y, a))
            y = max(y, b)
        if y < z.bottom:
            strips.append((y, z.bottom))
        out = []
        for a, b in sorted(strips, key=lambda s: -s[1]):
            top = max(_even_up(a), _even_down(b) - most)
            if _even_down(b) - top >= 2:
                out.append(Box(z.x, top, z.w, _even_down(b) - top))
        return out

    def _caption_band(self, pos: str, band_h: int) -> Box:
        z = self.zone.box
        y = {"top": z.y, "bottom": z.bottom - band_h}.get(pos, z.y + (z.h - band_h) / 2)
        return Box(z.x, _even_up(y) if pos != "bottom" else _even_down(y), z.w, band_h)

    def _collision(self, key: str, what: str, box: Box | None, t, tried: list[str]) -> None:
        others = self.busy(box, t.start, t.end) if box is not None else []
        if box is None or not others:
            self.problems.append(
                Problem(
                    f"the {what} does not fit the {self._where()}",
                    key=key,
                    hint="make it smaller (scale)",
                )
            )
            return
        o = others[0]
        a, b = max(o.start, t.start), min(o.end, t.end)
        self.problems.append(
            Problem(
                f"the {what} would cover {o.key} ({o.role}) in frames {a}-{b - 1} "
                f"({self.tl.seconds(a):.2f}-{self.tl.seconds(b):.2f} s) wherever it may go "
                f"({' → '.join(tried)})",
                key=key,
                hint=f"end it by {self.tl.seconds(o.start):.2f} s, start it after "
                f"{self.tl.seconds(o.end):.2f} s, shorten it, or pin it with x and y "
                "(a pinned one that collides is a warning)",
            )
        )

    def _pinned(self, key: str, box: Box, start: int, end: int) -> None:
        if not self.zone.allows(box):
            self.warnings.append(
                Problem(
                    f"pinned at x {box.x}, y {box.y} ({box.w}x{box.h} px): reaches outside "
                    f"the {self._where()}",
                    key=f"{key}.x",
                    severity="warning",
                    hint="the app's own buttons and text may cover it",
                )
            )
        for o in self.busy(box, start, end, skip=key):
            self.warnings.append(
                Problem(
                    f"pinned where it covers {o.key} ({o.role}) in frames "
                    f"{max(o.start, start)}-{min(o.end, end) - 1}",
                    key=f"{key}.x",
                    severity="warning",
                    hint="move it (x, y), or change its times",
                )
            )


def _pin(item, w: int, h: int) -> tuple[int, int] | None:
    x, y = getattr(item, "x", None), getattr(item, "y", None)
    if x is None and y is None:
        return None
    return _even_down((x or 0.0) * w), _even_down((y or 0.0) * h)


def _corners(pos: str) -> list[str]:
    if pos in ("top", "bottom"):
        return [pos, {"top": "bottom", "bottom": "top"}[pos]]
    if "-" not in pos:
        return [pos]
    v, hz = pos.split("-")
    fv, fh = {"top": "bottom", "bottom": "top"}[v], {"left": "right", "right": "left"}[hz]
    return [pos, f"{v}-{fh}", f"{fv}-{hz}", f"{fv}-{fh}"]


def _short(text: str) -> str:
    one = text.replace("\n", " ")
    return repr(one if len(one) <= 24 else one[:23] + "…")


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).size if im.getexif() else im.size


def _backing(st: _Stage, backdrop: Backdrop) -> None:
    """Rule 6: a caption whose picture behind is too busy for its colour gets a band."""
    for i, t in enumerate(st.texts):
        if t.role != "caption":
            continue
        pictures = backdrop(t.start, t.end)
        found = [contrast(p, t.box, t.style.color) for p in pictures if p is not None]
        worst = min(found) if found else None
        unknown = not pictures or None in pictures  # a clip not generated yet
        busy = unknown or (worst is not None and worst < READABLE)
        need = busy and not outlined(t.style, st.scale)
        st.texts[i] = replace(t, contrast=worst, backing="band" if need else "")


def layout_timeline(
    tl: Timeline,
    measure_fn: Measure = measure,
    size_of: Callable = image_size,
    backdrop: Backdrop | None = None,
) -> Layout:
    """Place every text and logo of the timeline (rules above). Raises RecipeError with every
    text that cannot fit and every collision nothing resolves; pinned collisions are warnings.
    `backdrop(start, end)`: the pictures behind frames [start, end) (None for one not known
    yet), for the captions' backing (rule 6); without it no backing is measured."""
    st = _Stage(tl, measure_fn, size_of)
    st.scenes()
    st.overlays()
    st.captions()
    if backdrop is not None and not st.problems:
        _backing(st, backdrop)
    if st.problems:
        r = tl.recipe
        raise RecipeError(r.locate([replace(p, file=r.file) for p in st.problems]))
    found = tl.recipe.locate([replace(w, file=tl.recipe.file) for w in st.warnings])
    return Layout(st.zone, tuple(st.texts), tuple(st.logos), tuple(found))
