"""Guides over a preview: the safe zone (cyan), the boxes the apps' buttons cover (red), every
text block (yellow) and logo (magenta) as the layout placed it, each while it is visible.
Drawn only into a draft (`render --preview --guides`), never into a final render."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image, ImageDraw

from ..layout import Layout
from .stills import Stills

ZONE = (0, 230, 255, 255)
COVERED = (255, 40, 40, 90)
TEXT = (255, 220, 0, 255)
LOGO = (255, 0, 220, 255)


def zone_picture(stills: Stills, lay: Layout, size: tuple[int, int]):
    """The whole-frame layer: the safe zone's outline and the covered boxes."""
    z = lay.zone

    def make() -> Image.Image:
        im = Image.new("RGBA", size, (0, 0, 0, 0))
        d = ImageDraw.Draw(im)
        for a in z.avoid:
            d.rectangle((a.x, a.y, a.right - 1, a.bottom - 1), fill=COVERED)
        b = z.box
        d.rectangle((b.x, b.y, b.right - 1, b.bottom - 1), outline=ZONE, width=2)
        return im

    return stills._cached("guide-zone", {"zone": repr(z), "size": size}, make)


def box_picture(stills: Stills, w: int, h: int, colour: tuple):
    def make() -> Image.Image:
        im = Image.new("RGBA", (max(2, w), max(2, h)), (0, 0, 0, 0))
        ImageDraw.Draw(im).rectangle((0, 0, im.width - 1, im.height - 1), outline=colour, width=2)
        return im

    return stills._cached("guide-box", {"w": w, "h": h, "c": colour}, make)


def draw_guides(
    stills: Stills, lay: Layout, size: tuple[int, int], frames: int, video: str, on_top: Callable
) -> str:
    """`video` with every guide on top; on_top(video, picture, x, y, start, end) -> label."""
    video = on_top(video, zone_picture(stills, lay, size), 0, 0, 0, frames)
    for item, colour in [*((t, TEXT) for t in lay.texts), *((b, LOGO) for b in lay.logos)]:
        pic = box_picture(stills, item.box.w, item.box.h, colour)
        video = on_top(video, pic, item.box.x, item.box.y, item.start, item.end)
    return video
