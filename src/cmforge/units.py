"""Time as whole frames on a rational frame rate; gains; colours; even sizes; boxes on the
frame."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction

from PIL import ImageColor


def parse_fps(value: float | str) -> Fraction:
    """30 -> 30; 29.97 -> 30000/1001; "24000/1001" -> 24000/1001."""
    if isinstance(value, str) and "/" in value:
        num, den = value.split("/", 1)
        return Fraction(int(num), int(den))
    f = float(value)
    for ntsc in (23.976, 29.97, 59.94, 47.952, 119.88):
        if abs(f - ntsc) < 0.005:
            return Fraction(round(ntsc * 1.001) * 1000, 1001)
    return Fraction(f).limit_denominator(1001)


def to_frames(seconds: float, fps: Fraction) -> int:
    return int(round(Fraction(seconds).limit_denominator(1_000_000) * fps))


def seconds_floor_us(frames: int, fps: Fraction) -> str:
    """A time in seconds for FFmpeg options, rounded down to the microsecond it parses."""
    us = (Fraction(frames) / fps * 1_000_000).__floor__()
    return f"{us // 1_000_000}.{us % 1_000_000:06d}"


def parse_color(value: str) -> tuple[int, int, int, int]:
    """'#rrggbb', '#rrggbbaa', '#rgb' or a CSS colour name -> RGBA. Raises ValueError."""
    rgba = ImageColor.getrgb(value.strip())
    if len(rgba) == 3:
        return (*rgba, 255)
    return tuple(rgba)  # type: ignore[return-value]


def format_color(rgba: tuple[int, int, int, int]) -> str:
    """RGBA -> '#rrggbb', or '#rrggbbaa' when not opaque (what parse_color reads back)."""
    hex_rgb = "".join(f"{c:02x}" for c in rgba[:3])
    return f"#{hex_rgb}" if rgba[3] == 255 else f"#{hex_rgb}{rgba[3]:02x}"


def even(n: float) -> int:
    return max(2, int(round(n / 2.0)) * 2)


_GAIN = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(db|%|x)\s*$", re.IGNORECASE)


def parse_gain(value: float | str, unit: str) -> float:
    """A gain as a recipe writes it, in the key's own unit (`unit`: "linear" or "dB"): a bare
    number is in that unit; "-6dB", "50%" and "0.5x" say theirs. 50% = 0.5x = -6.02 dB.
    Raises ValueError (a gain with no level in dB, such as "0%" for a dB key, included)."""
    if isinstance(value, bool):
        raise ValueError(f"not a gain: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    m = _GAIN.match(value)
    if m is None:
        raise ValueError(f"not a gain: {value!r}")
    number, suffix = float(m.group(1)), m.group(2).lower()
    if suffix == "db":
        return number if unit == "dB" else 10 ** (number / 20)
    linear = number / 100 if suffix == "%" else number
    if linear < 0:
        raise ValueError(f"a gain cannot be negative: {value!r}")
    if unit == "linear":
        return linear
    if linear == 0:
        raise ValueError(f"{value!r} is silence, which has no level in dB")
    return 20 * math.log10(linear)


@dataclass(frozen=True)
class Box:
    """A rectangle of the frame on whole pixels: x, y of its top-left corner, width, height."""

    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        """The first column right of the box."""
        return self.x + self.w

    @property
    def bottom(self) -> int:
        """The first row under the box."""
        return self.y + self.h

    @property
    def empty(self) -> bool:
        return self.w <= 0 or self.h <= 0

    @classmethod
    def edges(cls, left: int, top: int, right: int, bottom: int) -> Box:
        """The box between two columns and two rows (an empty box when they cross)."""
        return cls(left, top, max(0, right - left), max(0, bottom - top))

    def intersect(self, other: Box) -> Box:
        return Box.edges(
            max(self.x, other.x),
            max(self.y, other.y),
            min(self.right, other.right),
            min(self.bottom, other.bottom),
        )

    def overlaps(self, other: Box) -> bool:
        return not self.intersect(other).empty

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )

    def as_list(self) -> list[int]:
        """[x, y, w, h], as plans and manifests write a box."""
        return [self.x, self.y, self.w, self.h]
