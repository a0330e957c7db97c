"""A still picture (a photo, a generated still), held or moved over with a Ken Burns path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..compile import motion
from ..compile.context import Ctx
from ..compile.graph import Filter
from ..compile.stills import canvas_size
from ..media.probe import FFMPEG_IMAGE_EXT
from ..recipe import spec
from ..recipe.build import Builder
from ..recipe.model import Scene, SceneTable, Still
from ..recipe.stills import still_at
from ..timeline import Placed

F = Filter.of


@dataclass(frozen=True)
class Image(Scene):
    fit: str = "cover"
    motion: str = "none"
    still: Still | None = None  # [scenes.generate]: the still made at src

    type: ClassVar[str] = "image"
    timing_role: ClassVar[str] = "still"
    fields: ClassVar[dict[str, spec.F]] = {
        **spec.COMMON,
        "src": spec.F("path", "image file", required=True),
        "motion": spec.F("str", "camera motion", choices=spec.MOTIONS),
        "fit": spec.F("str", "cover | contain | blur", choices=spec.FITS),
        "generate": spec.SCENE_STILL,
    }

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> Image:
        d = t.values
        src = b.path(d["src"])
        return cls(
            **t.common,
            src=src,
            fit=d.get("fit", t.defaults.get("fit", "cover")),
            motion=d.get("motion", t.defaults.get("image_motion", "none")),
            still=(
                still_at(b, src, d["generate"], f"{t.key}.generate", f"{t.key}.src")
                if "generate" in d
                else None
            ),
        )

    def stills(self) -> tuple[Still, ...]:
        """[scenes.generate] here is a still made at src when it is missing."""
        return (self.still,) if self.still is not None else ()

    def files(self) -> list[tuple[str, Path, str]]:
        return [(f"{self.key}.src", self.src, "image")] if self.src is not None else []

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        assert self.src is not None and p.source is not None
        # an HDR still (PNG cICP / ICC, AVIF, HEIC) becomes an SDR picture first (media/hdr.py)
        src = ctx.stills.sdr(
            self.src, p.source.hdr, pillow_reads=self.src.suffix.lower() not in FFMPEG_IMAGE_EXT
        )
        if self.motion == "none":
            return ctx.held(ctx.stills.picture(src, ctx.size, self.fit, None), last - first)
        canvas = canvas_size((p.source.width, p.source.height), ctx.size, self.fit)
        start, end = motion.windows(canvas, ctx.size, self.motion)
        region = motion.union(start, end)
        pic = ctx.stills.picture(src, ctx.size, self.fit, region)
        move = F(
            "perspective",
            interpolation="linear",
            eval="frame",
            **motion.corners(region, start, end, ctx.size, p.frames, first),
        )
        return ctx.held(pic, last - first, extra=[move])

    def label(self) -> str:
        return self.src.name if self.src is not None else "?"
