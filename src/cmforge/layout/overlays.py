"""Rule 2 of the layout (place.py): overlays in their corner of the safe zone, moved to
another corner when the one asked for is taken."""

from __future__ import annotations

from dataclasses import replace

from .geometry import Box, even_down, even_up, position
from .model import LogoBox


class OverlayRules:
    """The overlay half of the layout stage (mixed into stage.Stage)."""

    def overlays(self) -> None:
        for t in self.tl.overlays:
            o = t.item
            key = f"overlays[{o.index}]"
            iw, ih = self.image_size(o.src)
            ow = max(2, int(round(o.scale * self.w / 2)) * 2)
            oh = max(2, round(ih * ow / iw))
            pinned = pin(o, self.w, self.h)
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
        box = position(w, h, region, horiz, valign, self.w / 2)
        hit = self.zone.hit(box)
        if hit is not None:
            y = even_up(hit.bottom + 1) if vert != "bottom" else even_down(hit.y - h - 1)
            box = replace(box, y=y)
        return box if self.zone.allows(box) else None


def pin(item, w: int, h: int) -> tuple[int, int] | None:
    x, y = getattr(item, "x", None), getattr(item, "y", None)
    if x is None and y is None:
        return None
    return even_down((x or 0.0) * w), even_down((y or 0.0) * h)


def _corners(pos: str) -> list[str]:
    if pos in ("top", "bottom"):
        return [pos, {"top": "bottom", "bottom": "top"}[pos]]
    if "-" not in pos:
        return [pos]
    v, hz = pos.split("-")
    fv, fh = {"top": "bottom", "bottom": "top"}[v], {"left": "right", "right": "left"}[hz]
    return [pos, f"{v}-{fh}", f"{fv}-{hz}", f"{fv}-{fh}"]
