"""The picture behind a caption, for the layout's contrast check: for each scene visible while
the caption is, its picture at the middle of that stretch (a card's background, a still fitted
to the frame, a decoded frame of a clip). A clip not generated yet has no picture (None)."""

from __future__ import annotations

from PIL import Image, ImageOps

from ..timeline import Placed, Timeline
from .stills import Stills, _stamp, contained, load_rgb


class Backdrops:
    def __init__(self, tl: Timeline, stills: Stills):
        self.tl, self.stills = tl, stills

    def __call__(self, start: int, end: int) -> list[Image.Image | None]:
        out = []
        for p in self.tl.scenes:
            a, b = max(start, p.start), min(end, p.end)
            if a < b:
                out.append(self.picture(p, (a + b) // 2))
        return out

    def picture(self, p: Placed, frame: int) -> Image.Image | None:
        size = (self.tl.width, self.tl.height)
        bg = getattr(p.scene, "background", None)
        try:
            if bg is not None and hasattr(bg, "colors"):
                return self.stills.background(bg, size)
            info = p.source
            if info is None or p.scene.src is None or not p.scene.src.exists():
                return None
            src, fit = p.scene.src, getattr(p.scene, "fit", "cover")
            if info.kind not in ("image", "video"):
                return None
            t = p.src_in + self.tl.seconds(frame - p.start) * p.scene.speed
            t = round(t, 2) if info.kind == "video" else 0.0

            def make() -> Image.Image:  # kept at a quarter of the size: enough to judge by
                im = load_rgb(src) if info.kind == "image" else _frame_at(src, t)
                small = (max(1, size[0] // 4), max(1, size[1] // 4))
                return _fit(im, small, fit)

            path = self.stills._cached(
                "behind", {"src": _stamp(src), "t": t, "fit": fit, "size": size}, make
            )
            with Image.open(path) as im:
                return im.convert("RGB").resize(size, Image.Resampling.NEAREST)
        except Exception:  # noqa: BLE001 - a picture that cannot be read is not known
            return None


def _fit(im: Image.Image, size: tuple[int, int], fit: str) -> Image.Image:
    if fit == "cover":
        return ImageOps.fit(im, size, Image.Resampling.BILINEAR)
    return contained(im, size, fit)


def _frame_at(path, seconds: float) -> Image.Image:
    import av

    with av.open(str(path)) as c:
        s = c.streams.video[0]
        tb = s.time_base
        c.seek(max(0, int(seconds / tb)) if tb else 0, stream=s, backward=True)
        picked = None
        for frame in c.decode(s):
            picked = frame
            if frame.time is not None and frame.time >= seconds:
                break
        if picked is None:
            raise ValueError("no frame")
        return picked.to_image()
