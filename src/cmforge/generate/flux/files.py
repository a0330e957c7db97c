"""A FLUX still on disk: whether one is there, and the downloaded picture checked and put in
place in the format its file name asks for."""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import FluxServerError

FORMATS = {".png": ("png", "PNG"), ".jpg": ("jpeg", "JPEG"), ".jpeg": ("jpeg", "JPEG")}


def output_format(dest: Path) -> str:
    """What FLUX is asked for (`output_format`) for a still kept at dest."""
    return FORMATS.get(dest.suffix.lower(), ("png", "PNG"))[0]


def usable(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with Image.open(path) as im:
            im.load()
        return True
    except (OSError, UnidentifiedImageError):
        return False


def save(tmp: Path, dest: Path) -> tuple[int, int]:
    """The downloaded picture checked (it decodes) and put at dest, in the format dest's name
    asks for (converted when FLUX sent another); atomic. Its size."""
    try:
        with Image.open(tmp) as im:
            im.load()
            size, fmt = im.size, im.format
            want = FORMATS.get(dest.suffix.lower(), ("png", "PNG"))[1]
            if fmt != want:
                im.convert("RGB").save(tmp.with_suffix(".conv"), format=want)
                os.replace(tmp.with_suffix(".conv"), tmp)
    except (OSError, UnidentifiedImageError) as exc:
        raise FluxServerError(f"the downloaded still is not a picture ({exc})") from None
    os.replace(tmp, dest)
    return size
