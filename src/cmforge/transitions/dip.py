"""A dip to a colour: the outgoing scene fades to the colour over the first half of the
overlap, the incoming scene fades in from it over the second half; the middle frame is the
colour alone (Premiere's "Dip to Black" / "Dip to White", any colour).

FFmpeg's `fade` fades to black in YUV, but to any other colour only in RGB: FFmpeg converts
every frame to RGB and back (and the chroma to 4:4:4 and back). Instead, the colour is made once
as a BT.709 picture with an alpha channel, held, its alpha faded up and down, and laid over the
two halves put end to end: two trims, a concat and an overlay, all in yuv420p. Measured on a
0.6 s dip between two 1080x1920 clips: about 15-25 ms of CPU a frame more than a cut, where
xfade's `fade` costs about 65-90 ms and `fade` with a colour about 45 ms.

The clip sound crossfades across the whole overlap, as for every overlap (base.Overlap), rather
than dipping to silence with the picture: the music ducks under clip sound, and a gap of a few
frames in the middle would make it swell and duck again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..compile.graph import Filter
from ..recipe import spec
from ..recipe.model import RGBA
from .base import DURATION, Canvas, Overlap

F = Filter.of


@dataclass(frozen=True)
class Dip(Overlap):
    type: str = "dip"
    color: RGBA = (0, 0, 0, 255)

    names: ClassVar[tuple[str, ...]] = ("dip",)
    fields: ClassVar[dict[str, spec.F]] = {
        "color": spec.F("color", "the colour it dips to (default black)"),
        "duration": DURATION,
    }

    def video(self, ctx: Canvas, outgoing: str, incoming: str, frames: int) -> str:
        """Frames [0, m) are the outgoing scene's, [m, frames) the incoming's, m = frames // 2;
        the colour lies over them with opacity (i + 1) / (m + 1) up to frame m (opaque), then
        down to 1 / (frames - m) on the last frame, so neither scene's first or last frame of
        the overlap is shown bare."""
        g, half = ctx.graph, frames // 2
        tail = [F("trim", start_frame=half), F("setpts", "PTS-STARTPTS")]
        if half:
            head = g.one(outgoing, [F("trim", end_frame=half)], "d")
            incoming = g.one([head, g.one(incoming, tail, "d")], [F("concat", n=2, v=1, a=0)], "d")
        else:
            incoming = g.one(incoming, tail, "d")
        base = g.one(incoming, ctx.frames_tail(frames), "d")
        return g.one(
            [base, self.layer(ctx, frames)],
            [F("overlay", format="yuv420"), *ctx.frames_tail(frames)],
            "x",
        )

    def layer(self, ctx: Canvas, frames: int) -> str:
        """The colour, converted once, held for `frames` frames with the dip's opacity. It
        starts a frame early (opacity 0) so that frame fades count whole steps from there."""
        half = frames // 2
        hex_rgba = "".join(f"{c:02x}" for c in self.color)
        return ctx.graph.one(
            [],
            [
                F("color", c=f"0x{hex_rgba}", s=f"{ctx.width}x{ctx.height}", r=ctx.rate),
                F("trim", end_frame=1),
                F("format", "rgba"),
                *ctx.to_yuv(alpha=True),
                F("loop", loop=frames, size=1, start=0),
                F("fade", t="in", start_frame=0, nb_frames=half + 1, alpha=1),
                F("fade", t="out", start_frame=half + 1, nb_frames=frames - half, alpha=1),
                F("trim", start_frame=1),
                *ctx.frames_tail(frames),
            ],
            "d",
        )
