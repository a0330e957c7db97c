"""The layout stage's state and its shared moves: fitting a text into a region of the safe
zone (rule 1), the scenes' parts, what a box would cover, and the problems said about it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageOps

from ..errors import Problem
from ..timeline import Timeline
from .captions import CaptionRules
from .geometry import Box, band, even_down, even_up, near, position
from .measure import MIN_TEXT_PX, Measured, too_small, with_align
from .model import LogoBox, Part, TextBlock
from .overlays import OverlayRules
from .zones import zone_for

GAP = 12  # px at 1080 kept between two boxes that may not touch
Measure = Callable[..., Measured]


class Stage(CaptionRules, OverlayRules):
    """One variant's layout in the making: the zone, what is placed so far, what went wrong."""

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
        roam: list[Box] | None = None,
        centre: float | None = None,
    ):
        """(measured, box, measure box) of a text fitted into `region` (rule 1), or None with a
        problem said (quiet: a trial, nothing said). `pad`: room kept around the text on every
        side (a caption's band), part of its box. roam: the text may move anywhere in the zone
        clear of these boxes (its scene's other parts) to get around a covered box. `centre`:
        the x a centred text centres on as far as the region allows (default: the frame's
        middle)."""

        def sized(r: Box) -> tuple[Measured, Box]:
            inner = (max(1, r.w - 2 * pad), max(1, r.h - 2 * pad))
            m = self.measure_fn(text, style, inner, self.base_dir)
            bw, bh = m.width + 2 * pad, m.height + 2 * pad
            mid = self.w / 2 if centre is None else centre
            return m, position(bw, bh, r, style.align, valign, mid)

        m, box = sized(region)
        if self.zone.hit(box) is not None:
            centred = symmetric and style.align == "center"
            m, box, region = self._around(m, box, region, sized, roam, centred)
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

    def _around(self, m, box: Box, region: Box, sized, roam, centred: bool):
        """Rule 1's ways around a covered box, the one keeping the text largest (the first of
        equals): moved up or down (inside its region, or with `roam` anywhere in the zone clear
        of those boxes), fitted into the rows of its region above or below the covered box, or
        into its region narrowed away from it (on both sides when `centred`)."""
        hit = self.zone.hit(box)
        assert hit is not None
        found = []
        moved = self._dodge(box, self.zone.box if roam is not None else region, hit, roam or [])
        if moved is not None:
            found.append((m, moved, region))
        top, bottom = even_down(hit.y - 1), even_up(hit.bottom + 1)
        rows = [Box(region.x, region.y, region.w, top - region.y)]
        rows.append(Box(region.x, bottom, region.w, region.bottom - bottom))
        narrowed, r = [], region
        for _ in self.zone.avoid:  # each covered box it meets cuts the region once more
            r = self._narrow(r, hit, centred)
            narrowed.append(r)
            hit = self.zone.hit(sized(r)[1])
            if hit is None:
                break
        for r in (*rows, *narrowed[-1:]):
            if r.w >= 2 and r.h >= 2:
                m2, b2 = sized(r)
                if m2.lines and self.zone.allows(b2):
                    found.append((m2, b2, r))
        if not found:
            return m, box, region
        return max(found, key=lambda f: f[0].font_size)

    def _dodge(self, box: Box, area: Box, hit: Box, clear: list[Box]) -> Box | None:
        """The box moved up above, or down below, the covered box `hit`, inside `area` and
        clear of `clear`; None when neither fits."""
        for y in (even_down(hit.y - box.h - 1), even_up(hit.bottom + 1)):
            moved = replace(box, y=y)
            if (
                area.contains(moved)
                and self.zone.allows(moved)
                and not any(near(moved, c, self.gap) for c in clear)
            ):
                return moved
        return None

    def _narrow(self, region: Box, hit: Box, symmetric: bool) -> Box:
        """The region with the side the buttons are on cut away (both sides alike for a
        centred card part, so it stays centred on the frame)."""
        if symmetric:
            if hit.x + hit.w / 2 < region.x + region.w / 2:
                cut = even_up(hit.right + 1) - region.x
            else:
                cut = region.right - even_down(hit.x - 1)
            return Box(region.x + cut, region.y, max(2, region.w - 2 * cut), region.h)
        if hit.x + hit.w / 2 >= region.x + region.w / 2:  # the buttons are on the right
            right = min(region.right, even_down(hit.x - 1))
            return replace(region, w=max(2, right - region.x))
        left = max(region.x, even_up(hit.right + 1))
        return Box(left, region.y, max(2, region.right - left), region.h)

    def _where(self) -> str:
        names = ", ".join(self.zone.platforms) or "generic"
        b = self.zone.box
        return f"safe zone ({names}: x {b.x}-{b.right}, y {b.y}-{b.bottom})"

    # --- scenes -----------------------------------------------------------------------------
    def scenes(self) -> None:
        for p in self.tl.scenes:
            for part in p.scene.layout_parts(self.scale, (self.w, self.h), self.zone.box):
                key = f"{p.scene.key}.{part.name}"
                region = self.part_region(part)
                # its scene's parts placed so far: a part moving around a covered box keeps
                # clear of them
                mine = [
                    i.box for i in (*self.texts, *self.logos) if i.key.startswith(f"{p.scene.key}.")
                ]
                if part.modules:
                    self._scene_modules(key, part, region, p.start, p.end)
                elif part.logo is not None:
                    self._scene_logo(key, part, region, p.start, p.end, mine)
                elif part.text and part.style is not None:
                    self._scene_text(key, part, region, p.start, p.end, mine)

    def part_region(self, part: Part) -> Box:
        """The region of the safe zone a scene's part goes in: its band of the zone's height,
        its column of the zone's width, and its share of that column's width, centred."""
        row = band(self.zone.box, *part.band)
        x0 = row.x + row.w * part.column[0]
        cw = row.w * (part.column[1] - part.column[0])
        width = even_down(cw * part.width)
        return Box(even_down(x0 + (cw - width) / 2), row.y, width, row.h)

    def _centre(self, part: Part, region: Box) -> float:
        """What a centred part centres on: the frame's middle for a full-width column (as far
        as the region allows), else its own region's middle."""
        return self.w / 2 if part.column == (0.0, 1.0) else region.x + region.w / 2

    def _scene_text(
        self, key: str, part: Part, region: Box, start: int, end: int, mine: list[Box]
    ) -> None:
        pad = round(part.pad)
        style = part.style if part.align == part.style.align else with_align(part.style, part.align)
        got = self.fit(
            key,
            part.text,
            style,
            region,
            part.valign,
            pad=pad,
            symmetric=part.symmetric and part.column == (0.0, 1.0),
            roam=mine,
            centre=self._centre(part, region),
        )
        if got is not None:
            m, box, mbox = got
            self.texts.append(
                TextBlock(
                    key, part.text, style, mbox, box, m.font_size, m.lines, start, end,
                    part.role, pad=pad,
                )
            )  # fmt: skip

    def _scene_modules(self, key: str, part: Part, region: Box, start: int, end: int) -> None:
        """A picture of square modules (a QR code), as large as its region allows on whole
        pixels a module; too small a module is an error on the scene's key."""
        side = min(region.w, region.h)
        module = side // part.modules
        if side / part.modules < part.min_module or module < 1:
            at_1080 = part.min_module / self.scale
            self.problems.append(
                Problem(
                    f"the QR code ({part.modules} modules across with its quiet zone) is too "
                    f"big for its place on the end slate ({side} px here): it needs at least "
                    f"{at_1080:g} px a module at 1080 to scan from a screen (and a whole pixel "
                    f"on any frame), it would get {side / part.modules / self.scale:.1f}",
                    key=key,
                    hint="encode a shorter text or URL (a shorter path, no query string)",
                )
            )
            return
        size = module * part.modules
        box = position(size, size, region, part.align, part.valign, self._centre(part, region))
        self.logos.append(LogoBox(key, None, box, start, end, part.role, module=module))

    def _scene_logo(
        self, key: str, part: Part, region: Box, start: int, end: int, mine: list[Box]
    ) -> None:
        iw, ih = self.image_size(part.logo)

        def sized(r: Box) -> tuple[float, Box]:
            k = min(r.w / iw, r.h / ih, 1.0)  # as the card draws it: never enlarged
            lw, lh = max(2, int(iw * k)), max(2, int(ih * k))
            return k, position(lw, lh, r, "center", "center", self._centre(part, r))

        k, box = sized(region)
        if self.zone.hit(box) is not None:  # rule 1's ways around, as for a text
            _, box, _ = self._around(
                _Scale(k), box, region, lambda r: _scaled(sized(r)), mine, True
            )
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
            if near(box, item.box, self.gap):
                out.append(item)
        return out

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


class _Scale:
    """A logo's scale where `_around` compares texts by font size."""

    def __init__(self, k: float):
        self.font_size, self.lines = k, ("logo",)


def _scaled(found: tuple[float, Box]) -> tuple[_Scale, Box]:
    return _Scale(found[0]), found[1]


def _short(text: str) -> str:
    one = text.replace("\n", " ")
    return repr(one if len(one) <= 24 else one[:23] + "…")


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).size if im.getexif() else im.size
