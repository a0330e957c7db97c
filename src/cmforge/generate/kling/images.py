"""Still images for image-to-video, sent as bare base64 within the limits of section 4.2.

Limits [doc]: .jpg/.jpeg/.png, at most 10 MB, width and height at least 300 px, and for the
first frame a width:height ratio within 1:2.5 ... 2.5:1. An image that is merely too heavy
(or in another format, or turned by EXIF orientation) is re-encoded, and the note says so;
one that is too small or too narrow is refused before anything is sent or spent.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from .errors import KlingImageError

MAX_BYTES = 10 * 1024 * 1024
MIN_SIDE = 300
MAX_RATIO = 2.5
SENDABLE = {"JPEG": "JPEG", "PNG": "PNG"}


@dataclass(frozen=True)
class PreparedImage:
    base64: str  # bare: no "data:image/...;base64," prefix
    width: int
    height: int
    size_bytes: int  # of the encoded file that is sent
    notes: tuple[str, ...] = ()  # what was changed, in words


def prepare_image(path: Path, role: str = "image", max_bytes: int = MAX_BYTES) -> PreparedImage:
    """Read, check and (when needed) re-encode one image; ``role`` is image or image_tail."""
    label = f"{role} {path.name}"
    try:
        raw = path.read_bytes()
        with Image.open(io.BytesIO(raw)) as opened:
            opened.load()
            fmt = opened.format or ""
            turned = opened.getexif().get(0x0112, 1) not in (0, 1)
            upright = ImageOps.exif_transpose(opened)
    except FileNotFoundError:
        raise KlingImageError(f"{label}: file not found ({path})") from None
    except Exception as exc:  # Pillow raises many types for damaged files
        raise KlingImageError(f"{label}: not a readable image ({type(exc).__name__})") from None
    w, h = upright.size
    check_geometry(label, w, h, role)
    notes: list[str] = []
    data = raw
    if turned:
        notes.append(f"{label}: turned upright by its EXIF orientation and re-encoded")
        data = _encode(upright, SENDABLE.get(fmt, "JPEG"))
    elif fmt not in SENDABLE:
        notes.append(f"{label}: {fmt or 'unknown'} is not accepted by Kling; sent as JPEG")
        data = _encode(upright, "JPEG")
    if len(data) > max_bytes:
        data, w, h = _shrink(upright, label, max_bytes)
        notes.append(
            f"{label}: {len(raw) / 1e6:.1f} MB is over Kling's 10 MB limit; "
            f"re-encoded as JPEG {w}x{h} ({len(data) / 1e6:.1f} MB)"
        )
    return PreparedImage(base64.b64encode(data).decode("ascii"), w, h, len(data), tuple(notes))


def check_geometry(label: str, width: int, height: int, role: str = "image") -> None:
    """Refuse what no re-encoding can fix: too small, or (first frame) too narrow or wide."""
    if min(width, height) < MIN_SIDE:
        raise KlingImageError(
            f"{label} is {width}x{height} px; Kling needs at least {MIN_SIDE} px on each side "
            "(use a larger image; nothing was sent)"
        )
    ratio = width / height
    if role == "image" and not (1 / MAX_RATIO <= ratio <= MAX_RATIO):
        raise KlingImageError(
            f"{label} is {width}x{height} px (ratio {ratio:.2f}); Kling takes first frames "
            "between 1:2.5 and 2.5:1 (crop it; nothing was sent)"
        )


def _encode(im: Image.Image, fmt: str, quality: int = 92) -> bytes:
    buf = io.BytesIO()
    if fmt == "PNG":
        im.save(buf, "PNG", optimize=True)
    else:
        rgb = im.convert("RGB") if im.mode != "RGB" else im
        rgb.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def _shrink(im: Image.Image, label: str, max_bytes: int) -> tuple[bytes, int, int]:
    """JPEG at falling quality, then smaller sizes; never below MIN_SIDE on the short side."""
    w, h = im.size
    data = _encode(im, "JPEG", 90)
    for _ in range(8):
        if len(data) <= max_bytes:
            return data, w, h
        scale = max((max_bytes / len(data)) ** 0.5 * 0.9, MIN_SIDE / min(w, h))
        if scale >= 1:  # already at the smallest size allowed
            break
        w, h = max(MIN_SIDE, round(w * scale)), max(MIN_SIDE, round(h * scale))
        data = _encode(im.resize((w, h), Image.Resampling.LANCZOS), "JPEG", 85)
    if len(data) <= max_bytes:
        return data, w, h
    raise KlingImageError(f"{label}: cannot be brought under 10 MB without going below 300 px")
