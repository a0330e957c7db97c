"""FFmpeg's xfade transitions, each under its own name (`fade`, `wipeleft`, `dissolve`, ...).

xfade works in 4:4:4 and would convert every frame it sees, so it is given only the
overlapping frames of the two scenes (compile/pieces.py), and its output goes back to yuv420p."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compile.graph import Filter
from ..units import seconds_floor_us
from .base import Canvas, Overlap

F = Filter.of

NAMES = (
    "fade",
    "wipeleft",
    "wiperight",
    "wipeup",
    "wipedown",
    "slideleft",
    "slideright",
    "slideup",
    "slidedown",
    "circlecrop",
    "rectcrop",
    "distance",
    "fadeblack",
    "fadewhite",
    "radial",
    "smoothleft",
    "smoothright",
    "smoothup",
    "smoothdown",
    "circleopen",
    "circleclose",
    "vertopen",
    "vertclose",
    "horzopen",
    "horzclose",
    "dissolve",
    "pixelize",
    "diagtl",
    "diagtr",
    "diagbl",
    "diagbr",
    "hlslice",
    "hrslice",
    "vuslice",
    "vdslice",
    "hblur",
    "fadegrays",
    "wipetl",
    "wipetr",
    "wipebl",
    "wipebr",
    "squeezeh",
    "squeezev",
    "zoomin",
    "fadefast",
    "fadeslow",
    "hlwind",
    "hrwind",
    "vuwind",
    "vdwind",
    "coverleft",
    "coverright",
    "coverup",
    "coverdown",
    "revealleft",
    "revealright",
    "revealup",
    "revealdown",
)


@dataclass(frozen=True)
class XFade(Overlap):
    """One of FFmpeg's xfade transitions; `type` is its xfade name."""

    type: str = "fade"

    names: ClassVar[tuple[str, ...]] = NAMES

    def video(self, ctx: Canvas, outgoing: str, incoming: str, frames: int) -> str:
        return ctx.graph.one(
            [outgoing, incoming],
            [
                F(
                    "xfade",
                    transition=self.type,
                    duration=seconds_floor_us(frames, ctx.fps),
                    offset=0,
                ),
                F("format", "yuv420p"),
                *ctx.frames_tail(frames),
            ],
            "x",
        )
