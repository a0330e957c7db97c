"""Font discovery and resolution: bundled Noto fonts plus whatever lives in system font dirs."""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

WEIGHTS = ("regular", "bold")
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
CJK_FAMILY = "Noto Sans CJK JP"
_CJK_PACKAGES = {
    "regular": ("noto_cjk_sans_jp_regular", "NotoSansCJKjp-Regular.otf"),
    "bold": ("noto_cjk_sans_jp_bold", "NotoSansCJKjp-Bold.otf"),
}
_ALIASES = ("Noto Sans JP", CJK_FAMILY, "Noto Sans CJK", "sans", "sans-serif", "default")
_SYSTEM_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)


class FontError(Exception):
    """A requested font could not be found; the message lists what is available."""


@dataclass(frozen=True)
class FontFace:
    """One face inside a font file (``index`` selects the face of a .ttc collection)."""

    path: Path
    index: int = 0


@dataclass
class _Family:
    name: str
    faces: list[tuple[int, bool, bool, FontFace]] = field(default_factory=list)
    # (weight class, italic, variable, face)

    def pick(self, weight: str) -> FontFace:
        target = 700 if weight == "bold" else 400

        def score(f: tuple[int, bool, bool, FontFace]) -> tuple[bool, int, str]:
            wclass, italic, variable, face = f
            return (italic, 0 if variable else abs(wclass - target), str(face.path))

        return min(self.faces, key=score)[3]


def _key(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.casefold())


def check_weight(weight: str) -> str:
    w = weight.strip().lower()
    w = {"normal": "regular", "400": "regular", "700": "bold"}.get(w, w)
    if w not in WEIGHTS:
        raise ValueError(f"unknown font weight {weight!r}; use 'regular' or 'bold'")
    return w


def _package_file(package: str, name: str) -> Path | None:
    try:
        path = Path(str(importlib.resources.files(package) / name))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


def cjk_face(weight: str) -> FontFace:
    """The bundled Noto Sans CJK JP face of ``weight`` (the other weight if one is missing)."""
    order = ("bold", "regular") if check_weight(weight) == "bold" else ("regular", "bold")
    for w in order:
        path = _package_file(*_CJK_PACKAGES[w])
        if path is not None:
            return FontFace(path)
    raise FontError(
        "bundled Japanese font missing: install noto-cjk-sans-jp-bold / noto-cjk-sans-jp-regular"
    )


@functools.cache
def manim_dir() -> Path | None:
    path = _package_file("manimgx_fonts", "NotoSans[wght].ttf")
    return path.parent if path else None


def bundled_fallbacks() -> list[FontFace]:
    """Noto Sans, Noto Sans Symbols, Noto Emoji, then the other script fonts of manimgx_fonts."""
    base = manim_dir()
    if base is None:
        return []
    first = ["NotoSans[wght].ttf", "NotoSansSymbols[wght].ttf", "NotoEmoji[wght].ttf"]
    rest = sorted(
        p.name for p in base.glob("*.ttf") if p.name not in first and "Italic" not in p.name
    )
    return [FontFace(base / n) for n in first + rest if (base / n).is_file()]


def _describe(font: TTFont) -> tuple[str, int, bool, bool] | None:
    """(family, weight class, italic, variable) of one face, or None if unreadable."""
    try:
        names = font["name"]
        family = names.getDebugName(16) or names.getDebugName(1)
        if not family:
            return None
        os2 = font.get("OS/2", None)
        wclass = int(getattr(os2, "usWeightClass", 400))
        sub = (names.getDebugName(17) or names.getDebugName(2) or "").lower()
        italic = "italic" in sub or "oblique" in sub or bool(getattr(os2, "fsSelection", 0) & 1)
        variable = "fvar" in font and any(a.axisTag == "wght" for a in font["fvar"].axes)
        return family, wclass, italic, variable
    except (TTLibError, KeyError, AttributeError, AssertionError, ValueError):
        return None


def _scan_file(path: Path) -> list[tuple[str, int, bool, bool, FontFace]]:
    out = []
    try:
        with open(path, "rb") as fh:  # own the handle: fontTools leaks it on parse errors
            if path.suffix.lower() in (".ttc", ".otc"):
                fonts = list(TTCollection(fh, lazy=True).fonts)
            else:
                fonts = [TTFont(fh, lazy=True)]
            for index, font in enumerate(fonts):
                info = _describe(font)
                if info:
                    out.append((*info, FontFace(path, index)))
    except (OSError, EOFError, struct.error, TTLibError, AssertionError, ValueError, KeyError):
        return []
    return out


def _collect(paths: list[Path]) -> dict[str, _Family]:
    families: dict[str, _Family] = {}
    for path in paths:
        for family, wclass, italic, variable, face in _scan_file(path):
            fam = families.setdefault(_key(family), _Family(family))
            fam.faces.append((wclass, italic, variable, face))
    return families


@functools.cache
def _bundled_families() -> dict[str, _Family]:
    paths = [p for w in WEIGHTS if (p := _package_file(*_CJK_PACKAGES[w]))]
    return _collect(paths + [f.path for f in bundled_fallbacks()])


@functools.cache
def _system_families() -> dict[str, _Family]:
    paths: list[Path] = []
    for d in _SYSTEM_DIRS:
        root = Path(d).expanduser()
        if root.is_dir():
            for dirpath, _dirs, files in os.walk(root):
                paths += [Path(dirpath, f) for f in files if f.lower().endswith(FONT_SUFFIXES)]
    return _collect(sorted(paths))


def available_families() -> list[str]:
    """Family names usable as ``TextStyle.font``: bundled Noto fonts and system fonts."""
    names = {f.name for f in _bundled_families().values()}
    names |= {f.name for f in _system_families().values()}
    return sorted(names, key=str.casefold)


def _font_error(spec: str, why: str) -> FontError:
    return FontError(
        f"{why} {spec!r}. Available families: {', '.join(available_families())}"
        f" (aliases: {', '.join(_ALIASES)}); or give a path to a .ttf/.otf/.ttc file."
    )


def _looks_like_path(spec: str) -> bool:
    return spec.lower().endswith(FONT_SUFFIXES) or "/" in spec or "\\" in spec or spec[:1] == "~"


def resolve_face(spec: str | None, weight: str, base_dir: Path | None = None) -> FontFace:
    """Like :func:`resolve_font` but keeps the face index of font collections."""
    weight = check_weight(weight)
    if spec is None or _key(spec) in {_key(a) for a in _ALIASES}:
        return cjk_face(weight)
    spec = spec.strip()
    if _looks_like_path(spec):
        path = Path(spec).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        if not path.is_file():
            raise _font_error(str(path), "Font file not found:")
        if not _scan_file(path):
            raise _font_error(str(path), "Not a readable font file:")
        return FontFace(path.resolve())
    for families in (_bundled_families, _system_families):
        fam = families().get(_key(spec))
        if fam is not None:
            return fam.pick(weight)
    raise _font_error(spec, "Unknown font family")


def resolve_font(spec: str | None, weight: str, base_dir: Path | None = None) -> Path:
    """Path of the font file for a family name, alias or (``base_dir``-relative) file path.

    ``None`` and the aliases "Noto Sans JP", "Noto Sans CJK JP", "sans", "sans-serif" give the
    bundled Noto Sans CJK JP of the requested weight ("regular" or "bold").
    """
    return resolve_face(spec, weight, base_dir).path
