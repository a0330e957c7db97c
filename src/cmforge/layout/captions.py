"""Rule 3 of the layout (place.py): captions in their band of the safe zone, moved to the
other band, then to a free strip, when the one asked for is taken."""

from __future__ import annotations

from .geometry import Box, even_down, even_up
from .measure import text_style
from .model import TextBlock
from .overlays import pin

BAND_PAD = 16  # px at 1080 around a caption's text: room for its band (its box includes it)
CAPTION_BAND = {True: 0.16, False: 0.24}  # caption band height / frame height: vertical, other
CAPTION_MOVES = {
    "bottom": ("bottom", "top"),
    "top": ("top", "bottom"),
    "center": ("center", "bottom", "top"),
}


class CaptionRules:
    """The caption half of the layout stage (mixed into stage.Stage)."""

    def captions(self) -> None:
        vertical = self.h > self.w
        band_h = even_down(min(self.h * CAPTION_BAND[vertical], self.zone.box.h / 3))
        pad = max(2, round(BAND_PAD * self.scale))
        for t in self.tl.captions:
            c = t.item
            key = f"captions[{c.index}]"
            style = text_style(c.style, self.scale)
            pinned = pin(c, self.w, self.h)
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
        trials = [(pos, self._captionband(pos, band_h), pos) for pos in CAPTION_MOVES[c.position]]
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
            top = max(even_up(a), even_down(b) - most)
            if even_down(b) - top >= 2:
                out.append(Box(z.x, top, z.w, even_down(b) - top))
        return out

    def _captionband(self, pos: str, band_h: int) -> Box:
        z = self.zone.box
        y = {"top": z.y, "bottom": z.bottom - band_h}.get(pos, z.y + (z.h - band_h) / 2)
        return Box(z.x, even_up(y) if pos != "bottom" else even_down(y), z.w, band_h)
