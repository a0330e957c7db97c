"""Text style value object."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import ImageColor

from .fonts import check_weight

Color = tuple[int, int, int, int]
ALIGNS = ("left", "center", "right")


def to_rgba(value: object) -> Color:
    """Accept (r, g, b), (r, g, b, a) or a CSS/hex colour string; return an RGBA tuple."""
    if isinstance(value, str):
        rgb = ImageColor.getrgb(value)
        value = rgb if len(rgb) == 4 else (*rgb, 255)
    if not isinstance(value, (tuple, list)) or len(value) not in (3, 4):
        raise ValueError(f"colour must be (r, g, b[, a]) or a colour string, got {value!r}")
    channels = [int(c) for c in value] + ([255] if len(value) == 3 else [])
    if any(not 0 <= c <= 255 for c in channels):
        raise ValueError(f"colour channels must be within 0..255, got {value!r}")
    r, g, b, a = channels
    return (r, g, b, a)


@dataclass(frozen=True)
class TextStyle:
    """How to draw a text block.

    ``size`` is the font size in pixels (``None``: the largest size that fits the box, capped by
    ``max_size``, whose default is a quarter of the box width or one line height of the box).
    ``stroke_width`` is in pixels and drawn outside the glyphs (袋文字); the stroke colour defaults
    to black.  ``balance`` evens out
    line lengths so titles never end with an orphan character.  ``highlight_scale``: the font
    size of ``**marked**`` runs relative to the text around them, on the same baseline (a line
    holding a larger run grows to fit it).
    """

    font: str | None = None
    weight: str = "bold"
    color: Color = (255, 255, 255, 255)
    size: float | None = None
    max_size: float | None = None
    min_size: float = 8
    stroke_color: Color | None = None
    stroke_width: float = 0
    align: str = "center"
    line_spacing: float = 1.25
    shadow: bool = False
    balance: bool = True
    highlight: Color | None = None  # colour of **marked** words (default #ffd166)
    highlight_scale: float = 1.0  # their font size relative to the text around them

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "weight", check_weight(self.weight))
        set_(self, "color", to_rgba(self.color))
        if self.stroke_color is not None:
            set_(self, "stroke_color", to_rgba(self.stroke_color))
        if self.highlight is not None:
            set_(self, "highlight", to_rgba(self.highlight))
        align = self.align.strip().lower()
        if align not in ALIGNS:
            raise ValueError(f"align must be one of {ALIGNS}, got {self.align!r}")
        set_(self, "align", align)
        if self.size is not None and self.size <= 0:
            raise ValueError(f"size must be positive, got {self.size!r}")
        if self.max_size is not None and self.max_size <= 0:
            raise ValueError(f"max_size must be positive, got {self.max_size!r}")
        if self.min_size <= 0:
            raise ValueError(f"min_size must be positive, got {self.min_size!r}")
        if self.stroke_width < 0:
            raise ValueError(f"stroke_width must be >= 0, got {self.stroke_width!r}")
        if self.highlight_scale <= 0:
            raise ValueError(f"highlight_scale must be positive, got {self.highlight_scale!r}")
        if self.line_spacing <= 0:
            raise ValueError(f"line_spacing must be positive, got {self.line_spacing!r}")

    @property
    def stroke_px(self) -> float:
        """Stroke width used for drawing, rounded to half pixels (0: no stroke)."""
        if self.stroke_width <= 0:
            return 0.0
        return max(0.5, round(self.stroke_width * 2) / 2)

    @property
    def stroke_rgba(self) -> Color:
        """Stroke colour; black when only ``stroke_width`` was given."""
        return self.stroke_color if self.stroke_color is not None else (0, 0, 0, 255)
