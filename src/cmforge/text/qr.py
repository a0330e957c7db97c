"""QR codes for the end slate, made by segno (ISO/IEC 18004) and drawn on whole pixels.

The rule for a code that scans from a screen (docs/recipe.md, *End slate*):
- the quiet zone is 4 modules on every side, as the standard asks;
- error correction M (15 %), raised by segno whenever that costs no extra modules;
- each module is a whole number of output pixels, drawn without resampling, and at least
  MIN_MODULE_PX pixels at 1080 on the frame's short side (about 0.4 mm on a 6-inch phone, 1 mm
  on a 15-inch laptop, 4 mm on a 50-inch television). A payload whose code would need smaller
  modules in its place on the end slate is too long for the size: an error, never a code that
  will not scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import segno
from PIL import Image

QUIET = 4  # modules of light margin on every side (ISO/IEC 18004)
MIN_MODULE_PX = 6.0  # px per module, at 1080 on the frame's short side
ERROR = "m"


class QrTooLong(ValueError):
    """The payload does not fit any QR code version."""


@dataclass(frozen=True)
class QrCode:
    payload: str
    version: int
    error: str  # L | M | Q | H, as segno chose it (boosted where free)
    matrix: tuple[tuple[bool, ...], ...]  # the modules, quiet zone included

    @property
    def modules(self) -> int:
        """Modules across, quiet zone included."""
        return len(self.matrix)

    def image(self, module_px: int, dark=(0, 0, 0), light=(255, 255, 255)) -> Image.Image:
        """The code with `module_px` pixels a module, quiet zone included, no resampling."""
        n = self.modules
        small = Image.new("L", (n, n))
        small.putdata([0 if v else 255 for row in self.matrix for v in row])
        big = small.resize((n * module_px, n * module_px), Image.Resampling.NEAREST)
        out = Image.new("RGB", big.size, light)
        out.paste(Image.new("RGB", big.size, dark), (0, 0), big.point(lambda v: 255 - v))
        return out


@lru_cache(maxsize=64)
def make_qr(payload: str) -> QrCode:
    """The smallest QR code (not Micro QR) holding `payload` exactly; QrTooLong if none does."""
    try:
        q = segno.make(payload, error=ERROR, micro=False, boost_error=True)
    except segno.DataOverflowError as exc:
        raise QrTooLong(f"{len(payload.encode())} bytes do not fit a QR code") from exc
    rows = tuple(tuple(bool(v) for v in row) for row in q.matrix)
    n = len(rows)
    blank = (False,) * (n + 2 * QUIET)
    pad = (False,) * QUIET
    matrix = (blank,) * QUIET + tuple(pad + r + pad for r in rows) + (blank,) * QUIET
    return QrCode(payload, int(q.version), q.error or "", matrix)


def module_px(side: float, modules: int) -> int:
    """The whole pixels a module gets in a square of `side` px (0: it does not fit)."""
    return int(side // modules)


def is_web_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in text.strip()


def shown_url(url: str) -> str:
    """A URL as an end slate prints it: without the scheme and a bare trailing slash (the QR
    code keeps the URL exactly as written)."""
    parts = urlsplit(url.strip())
    rest = url.strip()[len(parts.scheme) + 3 :] if parts.scheme else url.strip()
    return rest[:-1] if rest.endswith("/") and rest.count("/") == 1 else rest
