"""What the layout stage decides: every text block and logo on whole pixels, with the frames
it is visible in, and the safe zone it was placed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..text import TextStyle
from .geometry import Box, Zone


@dataclass(frozen=True)
class Part:
    """One piece of a scene's picture that carries text or a logo, as its kind asks for it:
    the band of the safe zone it goes in (fractions of the zone's height, top and bottom) and
    how much of the zone's width it may use. The layout stage places it."""

    name: str  # text | subtext | logo | ...: its key under the scene (scenes[4].logo)
    band: tuple[float, float]
    text: str = ""
    style: TextStyle | None = None
    logo: Path | None = None
    width: float = 1.0  # share of the zone's width (of its column)
    role: str = "card"  # card | endslate: what captions and overlays must keep clear of
    column: tuple[float, float] = (0.0, 1.0)  # fractions of the zone's width, left and right
    pad: float = 0.0  # px (at this frame size) of room kept around a text inside its box
    modules: int = 0  # a picture of square modules (a QR code): this many across
    min_module: float = 1.0  # px a module needs at least (the picture is too big otherwise)
    align: str = "center"  # center | left | right in its region
    valign: str = "center"  # center | top | bottom in its region
    # where an app's buttons cut into its row: narrowed alike on both sides (stays centred on
    # the frame), or only on the buttons' side (centred on the frame as far as it can be)
    symmetric: bool = True


@dataclass(frozen=True)
class TextBlock:
    key: str  # the recipe key the text comes from: scenes[0].text, captions[1].text
    text: str
    style: TextStyle
    measure_box: tuple[int, int]  # the box the text was wrapped and sized into
    box: Box  # where its picture goes, whole pixels
    font_size: float
    lines: tuple[str, ...]
    start: int  # first frame it is visible
    end: int  # frame after the last
    role: str = "card"  # card | endslate | caption
    pinned: bool = False
    backing: str = ""  # "band" when the picture behind is too busy to read it on
    contrast: float | None = None  # measured contrast ratio against the picture behind
    pad: int = 0  # room around the text inside its box (a caption's band)

    def as_dict(self, seconds) -> dict:
        return {
            "key": self.key,
            "role": self.role,
            "text": self.text,
            "lines": list(self.lines),
            "font_size": round(self.font_size, 2),
            "text_box": [
                self.box.x + self.pad,
                self.box.y + self.pad,
                self.box.w - 2 * self.pad,
                self.box.h - 2 * self.pad,
            ],
            "box": self.box.as_list(),
            "frames": [self.start, self.end],
            "seconds": [round(seconds(self.start), 4), round(seconds(self.end), 4)],
            "pinned": self.pinned,
            "backing": self.backing or None,
            "contrast": round(self.contrast, 2) if self.contrast is not None else None,
        }


@dataclass(frozen=True)
class LogoBox:
    key: str  # scenes[4].logo, overlays[0]
    src: Path | None  # None: a picture the scene draws itself (a QR code)
    box: Box
    start: int
    end: int
    role: str = "overlay"  # overlay | endslate | card
    pinned: bool = False
    module: int = 0  # a picture of square modules: whole px a module

    def as_dict(self, seconds) -> dict:
        return {
            "key": self.key,
            "role": self.role,
            "src": str(self.src) if self.src is not None else None,
            "box": self.box.as_list(),
            "frames": [self.start, self.end],
            "seconds": [round(seconds(self.start), 4), round(seconds(self.end), 4)],
            "pinned": self.pinned,
            **({"module_px": self.module} if self.module else {}),
        }


@dataclass(frozen=True)
class Layout:
    zone: Zone
    texts: tuple[TextBlock, ...] = ()
    logos: tuple[LogoBox, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def text(self, key: str) -> TextBlock | None:
        return next((t for t in self.texts if t.key == key), None)

    def logo(self, key: str) -> LogoBox | None:
        return next((b for b in self.logos if b.key == key), None)

    def as_dict(self, seconds) -> dict:
        return {
            "safe_zone": self.zone.as_dict(),
            "texts": [t.as_dict(seconds) for t in self.texts],
            "logos": [b.as_dict(seconds) for b in self.logos],
        }
