"""The safe zone a variant's text and logos stay inside, and placing boxes in it on even
pixels (pure). A box is `units.Box`: whole pixels, x, y, w, h."""

from __future__ import annotations

from dataclasses import dataclass

from ..units import Box


def near(a: Box, b: Box, gap: int) -> bool:
    """True when the two boxes share a pixel, or come closer than `gap` pixels."""
    return (
        a.x < b.right + gap
        and b.x < a.right + gap
        and a.y < b.bottom + gap
        and b.y < a.bottom + gap
    )


@dataclass(frozen=True)
class Zone:
    """Where text and logos may go: inside `box`, and outside every box of `avoid` (an app's
    buttons reaching into the picture, e.g. TikTok's column on the right). `platforms` names
    the platforms whose safe zones it satisfies (empty: the generic zone of the format)."""

    box: Box
    avoid: tuple[Box, ...] = ()
    platforms: tuple[str, ...] = ()

    def allows(self, box: Box) -> bool:
        return self.box.contains(box) and not any(box.overlaps(a) for a in self.avoid)

    def hit(self, box: Box) -> Box | None:
        """The first avoided box `box` overlaps, if any."""
        return next((a for a in self.avoid if box.overlaps(a)), None)

    def as_dict(self) -> dict:
        return {
            "platforms": list(self.platforms) or ["generic"],
            "box": self.box.as_list(),
            "avoid": [a.as_list() for a in self.avoid],
        }


def even_down(v: float) -> int:
    """Rounded down to an even pixel (overlays land on even pixels in 4:2:0)."""
    n = int(v // 1)
    return n - n % 2


def even_up(v: float) -> int:
    """Rounded up to an even pixel."""
    n = int(-(-v // 1))
    return n + n % 2


def band(zone: Box, top: float, bottom: float) -> Box:
    """The part of `zone` between two fractions of its height, on even pixels."""
    y0, y1 = even_up(zone.y + zone.h * top), even_down(zone.y + zone.h * bottom)
    return Box(zone.x, y0, zone.w, max(2, y1 - y0))


def position(
    w: int, h: int, region: Box, align: str, valign: str, centre: float | None = None
) -> Box:
    """A w x h box in `region`, on even pixels (overlays land on even pixels in 4:2:0). A
    centred box is centred on `centre` (the frame's middle) as far as the region allows, so
    a zone wider on one side (Shorts' buttons on the right) does not push short text aside."""
    x = region.x + (region.w - w) * {"left": 0.0, "right": 1.0}.get(align, 0.5)
    if centre is not None and align not in ("left", "right"):
        x = min(max(centre - w / 2, region.x), region.right - w)
    y = region.y + (region.h - h) * {"top": 0.0, "bottom": 1.0}.get(valign, 0.5)
    x, y = even_down(x), even_down(y)
    if x < region.x:
        x += 2
    if y < region.y:
        y += 2
    return Box(x, y, w, h)
