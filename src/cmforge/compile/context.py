"""What a scene kind's compile step works with: the graph, the timeline, the stills, and the
helpers every kind shares. Each kind (cmforge/scenes/) turns a placed scene into a video stream
of exactly its frame count, WxH yuv420p BT.709, time base 1/fps, pts = frame index."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..layout import Layout
from ..timeline import Placed, Timeline
from .graph import Filter, Graph
from .stills import Stills

F = Filter.of


@dataclass
class Ctx:
    graph: Graph
    timeline: Timeline
    stills: Stills
    width: int
    height: int
    fps: Fraction
    scale: float  # text sizes are given at 1080 on the short side
    flags: str = "bicubic"
    decode_threads: int = 1  # 1: a movie source per clip; 0: a draft (-i, FFmpeg's threads)
    layout: Layout | None = None  # where every text and logo goes (the layout stage)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def tb(self) -> str:
        return f"{self.fps.denominator}/{self.fps.numerator}"

    @property
    def rate(self) -> str:
        return f"{self.fps.numerator}/{self.fps.denominator}"

    def drawn(self, key: str) -> tuple[list[tuple], list[tuple]]:
        """A scene's texts and logos as the layout placed them, for Stills.card: texts as
        (text, style, the box it was sized in, (x, y)), logos as (path, (x, y, w, h))."""
        lay, pre = self.layout, f"{key}."
        if lay is None:
            return [], []
        texts = [
            (t.text, t.style, t.measure_box, (t.box.x, t.box.y))
            for t in lay.texts
            if t.key.startswith(pre)
        ]
        logos = [
            (b.src, tuple(b.box.as_list()))
            for b in lay.logos
            if b.key.startswith(pre) and b.src is not None
        ]
        return texts, logos

    def to_yuv(self, alpha: bool = False) -> list[Filter]:
        return [
            F("scale", out_color_matrix="bt709", out_range="tv", flags=self.flags),
            F("format", "yuva420p" if alpha else "yuv420p"),
        ]

    def frames_tail(self, frames: int) -> list[Filter]:
        return [F("trim", end_frame=frames), F("settb", self.tb), F("setpts", "N")]

    def held(
        self, path, frames: int, alpha: bool = False, extra: list[Filter] | None = None
    ) -> str:
        """A still picture held for a number of frames (converted to YUV once, then repeated)."""
        return self.graph.one(
            [],
            [
                F("movie", str(path), dec_threads=1, format_opts=f"framerate={self.rate}"),
                *self.to_yuv(alpha),
                F("loop", loop=max(0, frames - 1), size=1, start=0),
                *(extra or []),
                *self.frames_tail(frames),
            ],
        )


def scene_stream(ctx: Ctx, p: Placed, first: int = 0, last: int | None = None) -> str:
    """Frames [first, last) of a placed scene (all of it by default), by its kind's compile step."""
    return p.scene.stream(ctx, p, first, p.frames if last is None else last)
