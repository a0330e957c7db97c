"""Is a caption readable on the picture behind it? The contrast of its text colour against
the pixels behind its box, as WCAG 2 measures contrast (relative luminance, (L1 + 0.05) /
(L2 + 0.05)), taken at the 10th percentile so a busy tenth of the box (a sign, a window)
counts. Below READABLE (3:1, WCAG's figure for large text: captions are at least 40 px bold)
the caption gets a band behind it, unless its outline already separates it from any picture
(an outline of at least 2 px at 1080 contrasting 3:1 with the fill)."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ..text import TextStyle
from .geometry import Box

READABLE = 3.0
PERCENTILE = 10
OUTLINE_PX = 2.0  # at 1080


def _linear(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(rgb) -> np.ndarray:
    lin = _linear(np.asarray(rgb, dtype=np.float64))
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


def ratio(a, b):
    hi, lo = np.maximum(a, b), np.minimum(a, b)
    return (hi + 0.05) / (lo + 0.05)


def contrast(picture: Image.Image, box: Box, color: tuple) -> float:
    """The contrast ratio of `color` against the picture behind `box` (10th percentile)."""
    region = picture.convert("RGB").crop((box.x, box.y, box.right, box.bottom))
    small = region.resize(
        (max(1, region.width // 4), max(1, region.height // 4)), Image.Resampling.NEAREST
    )
    behind = luminance(np.asarray(small))
    text = luminance(np.array(color[:3]))
    return float(np.percentile(ratio(behind, text), PERCENTILE))


def outlined(style: TextStyle, scale: float) -> bool:
    """True when the text's outline separates it from any picture."""
    if style.stroke_px < OUTLINE_PX * scale:
        return False
    fill, edge = luminance(np.array(style.color[:3])), luminance(np.array(style.stroke_rgba[:3]))
    return float(ratio(fill, edge)) >= READABLE
