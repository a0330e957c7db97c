"""Pictures made once with Pillow before FFmpeg runs: title cards, end slates, captions,
logos and prepared stills. Content-addressed, so a re-render reuses them."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from .. import atomic
from ..layout import text_style
from ..media.ffmpeg import ffmpeg_binary, run_ffmpeg
from ..media.hdr import Hdr
from ..media.probe import FFMPEG_IMAGE_EXT, probe
from ..recipe.model import Background, Style
from ..text import Backing, TextStyle, render_text
from ..text.wrap import LAYOUT_VERSION
from .colour import to_sdr
from .emit import filter_text

Box = tuple[float, float, float, float]  # x, y, w, h


class Stills:
    """Makes and caches the still pictures of a render under one folder."""

    def __init__(self, folder: Path, base_dir: Path):
        self.folder = folder
        self.base_dir = base_dir

    def _cached(self, kind: str, params: dict, make: Callable[[], Image.Image]) -> Path:
        blob = json.dumps(params, sort_keys=True, default=str).encode()
        path = self.folder / f"{kind}-{hashlib.sha256(blob).hexdigest()[:20]}.png"
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = atomic.temporary(path)
            try:
                make().save(tmp, format="PNG", compress_level=1)
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
        return path

    # --- text -----------------------------------------------------------------------------
    def text_style(
        self, style: Style, scale: float, size: float | None = None, align: str = "center"
    ) -> TextStyle:
        return text_style(style, scale, size, align)

    def text(
        self,
        text: str,
        style: TextStyle,
        box: tuple[int, int],
        pad: int = 0,
        backing: str = "",
        reveal: int | None = None,
        look: Backing | None = None,
    ) -> tuple[Path, int, int]:
        """A text block drawn into `box`, with `pad` px of room on every side; backing "band":
        a translucent rounded band fills that room behind the text (a busy picture behind).
        reveal: only its first characters (a typewriter's step, the size of the whole text);
        look: a caption's band or box drawn behind it (compile/looks.py)."""
        # the line breaking's version too: a change in it remakes every text picture
        params = {"text": text, "style": repr(style), "box": box, "v": [4, LAYOUT_VERSION]}
        params["pad"] = pad
        if backing:
            params["backing"] = backing
        if reveal is not None:
            params["reveal"] = reveal
        if look is not None:
            params["look"] = repr(look)

        def make() -> Image.Image:
            im = render_text(text, style, box, self.base_dir, reveal=reveal)
            if look is not None:
                im = look.behind(im)
            if not pad:
                return im
            out = Image.new("RGBA", (im.width + 2 * pad, im.height + 2 * pad), (0, 0, 0, 0))
            if backing == "band":
                ImageDraw.Draw(out).rounded_rectangle(
                    (0, 0, out.width - 1, out.height - 1), radius=pad, fill=band_color(style)
                )
            out.alpha_composite(im, (pad, pad))
            return out

        path = self._cached("text", params, make)
        with Image.open(path) as im:
            return path, im.width, im.height

    def sized(self, src: Path, size: tuple[int, int]) -> Path:
        """A logo at the size the layout gave it, as an RGBA picture of its own."""
        make = lambda: load_rgba(src).resize(size, Image.LANCZOS)  # noqa: E731
        return self._cached("sized", {"src": _stamp(src), "size": size}, make)

    def padded(self, src: Path, pad: int) -> Path:
        """A picture with `pad` transparent pixels on every side (room for a pop's overshoot)."""

        def make() -> Image.Image:
            im = load_rgba(src)
            out = Image.new("RGBA", (im.width + 2 * pad, im.height + 2 * pad), (0, 0, 0, 0))
            out.paste(im, (pad, pad))
            return out

        return self._cached("pad", {"src": _stamp(src), "pad": pad}, make)

    # --- cards ----------------------------------------------------------------------------
    def background(self, bg: Background, size: tuple[int, int]) -> Image.Image:
        w, h = size
        if bg.image is not None:
            return ImageOps.fit(load_rgb(bg.image), size, Image.LANCZOS)
        if len(bg.colors) == 1:
            return Image.new("RGB", size, bg.colors[0][:3])
        top, bottom = bg.colors[0][:3], bg.colors[-1][:3]
        ramp = Image.linear_gradient("L").resize((1, h))
        return Image.composite(
            Image.new("RGB", size, bottom), Image.new("RGB", size, top), ramp.resize(size)
        )

    def card(
        self,
        kind: str,
        bg: Background,
        size: tuple[int, int],
        texts: list[tuple],
        logos: list[tuple] | None = None,
        glow: bool = False,
    ) -> Path:
        """A full-frame card: the background, then logos [(path, (x, y, w, h))] and texts
        [(text, TextStyle, the box it is sized in, (x, y))] where the layout placed them.
        glow: a soft light on a colour or gradient, so the card's push-in can be seen."""
        logos = logos or []
        params = {
            "bg": repr(bg),
            "size": size,
            "texts": repr(texts),
            "logos": [(_stamp(p), box) for p, box in logos],
            "v": [2, LAYOUT_VERSION],  # and the texts' line breaking
        }
        if glow:
            params["glow"] = 1

        def make() -> Image.Image:
            im = self.background(bg, size).convert("RGBA")
            if glow and bg.image is None:
                im.alpha_composite(_glow(size))
            for path, (x, y, w, h) in logos:
                mark = load_rgba(path).resize((w, h), Image.LANCZOS)
                im.alpha_composite(mark, (x, y))
            for text, style, box, (x, y) in texts:
                if text:
                    im.alpha_composite(render_text(text, style, box, self.base_dir), (x, y))
            return im.convert("RGB")

        return self._cached(kind, params, make)

    # --- pictures -------------------------------------------------------------------------
    def logo(self, src: Path, width: int, opacity: float) -> tuple[Path, int, int]:
        def make() -> Image.Image:
            im = load_rgba(src)
            height = max(2, round(im.height * width / im.width))
            im = im.resize((width, height), Image.LANCZOS)
            if opacity < 1:
                alpha = im.getchannel("A").point(lambda a: round(a * opacity))
                im.putalpha(alpha)
            return im

        path = self._cached("logo", {"src": _stamp(src), "w": width, "o": opacity}, make)
        with Image.open(path) as im:
            return path, im.width, im.height

    def sdr(self, src: Path, hdr: Hdr | None, pillow_reads: bool = True) -> Path:
        """The still as Pillow can use it: an HDR still (or an AVIF/HEIC one) converted once by
        FFmpeg to an 8-bit BT.709 SDR PNG; any other still as it is."""
        if hdr is None and pillow_reads:
            return src
        vf = ",".join(filter_text(f) for f in to_sdr(hdr, rgb_out=True)) if hdr else "format=rgb24"
        params = {"src": _stamp(src), "vf": vf}
        blob = json.dumps(params, sort_keys=True).encode()
        path = self.folder / f"sdr-{hashlib.sha256(blob).hexdigest()[:20]}.png"
        if not path.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = atomic.temporary(path)
            try:
                argv = [ffmpeg_binary(), "-y", "-i", str(src), "-vf", vf, "-frames:v", "1"]
                run_ffmpeg([*argv, "-update", "1", "-f", "image2", "-c:v", "png", str(tmp)])
                os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
        return path

    def picture(self, src: Path, size: tuple[int, int], fit: str, region: Box | None) -> Path:
        """A still fitted to the frame; region crops the fitted canvas (Ken Burns path)."""
        params = {"src": _stamp(src), "size": size, "fit": fit, "region": region}
        return self._cached("pic", params, lambda: fitted(load_rgb(src), size, fit, region))


def _glow(size: tuple[int, int]) -> Image.Image:
    """A soft white light above the centre, 16 % at its middle, fading to nothing."""
    w, h = size
    small = Image.radial_gradient("L").resize((64, 64))  # 0 in the middle, 255 at the edge
    alpha = small.point(lambda v: round(max(0, 1 - v / 200) * 0.16 * 255))
    alpha = alpha.resize((round(w * 1.3), round(w * 1.3)), Image.BICUBIC)
    out = Image.new("RGBA", size, (255, 255, 255, 0))
    light = Image.new("RGBA", alpha.size, (255, 255, 255, 0))
    light.putalpha(alpha)
    out.alpha_composite(light, ((w - light.width) // 2, round(h * 0.38 - light.height / 2)))
    return out


def band_color(style: TextStyle) -> tuple[int, int, int, int]:
    """A caption's band: black at 60 % under light text, white at 70 % under dark text."""
    r, g, b, _ = style.color
    light = 0.2126 * r + 0.7152 * g + 0.0722 * b >= 128
    return (0, 0, 0, 153) if light else (255, 255, 255, 179)


def canvas_size(src_size: tuple[int, int], size: tuple[int, int], fit: str) -> tuple[float, float]:
    """The size of the fitted canvas: cover overflows the frame, contain/blur equal it."""
    if fit != "cover":
        return float(size[0]), float(size[1])
    k = max(size[0] / src_size[0], size[1] / src_size[1])
    return src_size[0] * k, src_size[1] * k


def fitted(im: Image.Image, size: tuple[int, int], fit: str, region: Box | None) -> Image.Image:
    w, h = size
    cw, ch = canvas_size(im.size, size, fit)
    if fit == "cover":
        k = im.width / cw
        x, y, rw, rh = region or ((cw - w) / 2, (ch - h) / 2, w, h)
        return im.resize(size, Image.LANCZOS, box=(x * k, y * k, (x + rw) * k, (y + rh) * k))
    canvas = contained(im, size, fit)
    if region is None:
        return canvas
    x, y, rw, rh = region
    return canvas.resize(size, Image.LANCZOS, box=(x, y, x + rw, y + rh))


def contained(im: Image.Image, size: tuple[int, int], fit: str) -> Image.Image:
    w, h = size
    if fit == "blur":
        small = ImageOps.fit(im, (max(2, w // 8), max(2, h // 8)), Image.BILINEAR)
        back = small.filter(ImageFilter.GaussianBlur(radius=max(2, w // 160)))
        back = back.resize(size, Image.BICUBIC).point(lambda v: int(v * 0.55))
    else:
        back = Image.new("RGB", size, (0, 0, 0))
    front = ImageOps.contain(im, size, Image.LANCZOS)
    back.paste(front, ((w - front.width) // 2, (h - front.height) // 2))
    return back


def _stamp(path: Path | None) -> list | None:
    if path is None:
        return None
    st = path.stat()
    return [str(path), st.st_size, st.st_mtime_ns]


def load_rgba(path: Path) -> Image.Image:
    """Any image users have (EXIF-rotated, CMYK, 16-bit, palette, WebP) as RGBA; an HDR one
    (HLG or PQ: a PNG cICP chunk or an ICC cicp tag) and an AVIF/HEIC one converted by FFmpeg
    to the SDR output as the image scene does (compile/colour.py), wherever it is used: a
    title's background, a logo, an end slate's logo (an HDR picture loses its alpha there)."""
    ffmpeg_only = path.suffix.lower() in FFMPEG_IMAGE_EXT
    hdr = (
        probe(path).hdr if ffmpeg_only or path.suffix.lower() == ".png" or _has_icc(path) else None
    )
    if hdr is not None or ffmpeg_only:
        return _converted(path, hdr).convert("RGBA")
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        if im.mode in ("I;16", "I;16B", "I;16L", "I"):
            im = im.point(lambda v: v / 257).convert("L")
        if im.mode == "CMYK":
            im = im.convert("RGB")
        return im.convert("RGBA")


def load_rgb(path: Path) -> Image.Image:
    im = load_rgba(path)
    if im.getextrema()[3][0] < 255:
        flat = Image.new("RGBA", im.size, (0, 0, 0, 255))
        flat.alpha_composite(im)
        im = flat
    return im.convert("RGB")


def _has_icc(path: Path) -> bool:
    """A JPEG/WebP/TIFF with an ICC profile may carry a cicp tag (HLG/PQ): probe it then."""
    try:
        with Image.open(path) as im:
            return bool(im.info.get("icc_profile"))
    except OSError:
        return False


def _converted(path: Path, hdr: Hdr | None) -> Image.Image:
    """The picture as FFmpeg decodes it, tone-mapped to BT.709 SDR when it is HDR."""
    vf = ",".join(filter_text(f) for f in to_sdr(hdr, rgb_out=True)) if hdr else "format=rgb24"
    with tempfile.TemporaryDirectory(prefix="cmforge-sdr-") as tmp:
        dest = Path(tmp) / "sdr.png"
        argv = [ffmpeg_binary(), "-y", "-i", str(path), "-vf", vf, "-frames:v", "1"]
        run_ffmpeg([*argv, "-update", "1", "-f", "image2", "-c:v", "png", str(dest)])
        with Image.open(dest) as im:
            return im.convert("RGB")
