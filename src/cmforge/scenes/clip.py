"""A video clip: the user's footage or a generated one, trimmed, sped up or down, fitted to the
frame (cover, contain, or blurred behind), with its own sound in the mix."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar

from ..compile.colour import to_sdr
from ..compile.context import Ctx
from ..compile.graph import Filter
from ..errors import Problem
from ..media.hdr import Hdr
from ..recipe import spec
from ..recipe.build import Builder
from ..recipe.model import Scene, SceneTable
from ..timeline import Placed
from ..units import parse_gain, to_frames

F = Filter.of


@dataclass(frozen=True)
class Clip(Scene):
    trim: tuple[float, float] | None = None
    fit: str = "cover"
    volume: float = 1.0

    type: ClassVar[str] = "clip"
    timing_role: ClassVar[str] = "clip"
    default_duration: ClassVar[float | None] = None  # as long as the source allows
    decodes_video: ClassVar[bool] = True
    fields: ClassVar[dict[str, spec.F]] = {
        **spec.COMMON,
        "src": spec.F("path", "video file"),
        "trim": spec.F("pair", "[in, out] seconds of the source"),
        "fit": spec.F("str", "cover | contain | blur", choices=spec.FITS),
        "volume": spec.F(
            "gain", 'the clip\'s own sound, linear gain (0 = mute), or "-6dB"', unit="linear"
        ),
        "speed": spec.F("number", "playback speed", positive=True),
        "generate": spec.GENERATE,
    }

    @classmethod
    def build(cls, b: Builder, t: SceneTable) -> Clip:
        d, key = t.values, t.key
        gen = b.generate(d["generate"], key) if "generate" in d else None
        if "src" not in d and gen is None:
            b.check.add(f"{key}.src", "a clip needs src (or [scenes.generate] to make it)")
        trim = tuple(float(t) for t in d["trim"]) if "trim" in d else None
        if trim and not 0 <= trim[0] < trim[1]:
            b.check.add(
                f"{key}.trim", f"trim must be [in, out] with 0 <= in < out, got {list(trim)}"
            )
        return cls(
            **t.common,
            src=b.path(d["src"]) if "src" in d else None,
            trim=trim,  # type: ignore[arg-type]
            fit=d.get("fit", t.defaults.get("fit", "cover")),
            volume=parse_gain(d.get("volume", 1.0), "linear"),
            speed=float(d.get("speed", 1.0)),
            generate=gen,
        )

    def files(self) -> list[tuple[str, Path, str]]:
        out = [(f"{self.key}.src", self.src, "video")] if self.src is not None else []
        if self.generate is not None:
            for name in ("image", "image_tail"):
                path = getattr(self.generate, name)
                if path is not None:
                    out.append((f"{self.key}.generate.{name}", path, "image"))
        return out

    def window(self, info: Any) -> tuple[float, float]:
        """Seconds of source usable by the clip: (in, max out)."""
        length = info.duration if info else 0.0
        t_in = self.trim[0] if self.trim else 0.0
        t_out = self.trim[1] if self.trim else length
        return t_in, min(t_out, length) if length else t_out

    def timing(self, info: Any, fps: Fraction) -> tuple[int, float, Problem | None]:
        t_in, t_max = self.window(info)
        avail = max(0, int(math.floor((t_max - t_in) / self.speed * fps + 1e-6)))
        want = to_frames(self.duration, fps) if self.duration else avail
        if want <= avail:
            return want, avail, None
        problem = Problem(
            f"the clip has {float(avail / fps):.2f} s after trim/speed but the scene asks for "
            f"{float(want / fps):.2f} s",
            key=f"{self.key}.duration",
            hint="shorten the scene, lower speed or widen trim",
        )
        return avail, avail, problem

    def seconds_from_source(self, length: float) -> float:
        t_in, t_out = self.trim if self.trim else (0.0, length)
        return max(0.0, min(t_out, length) - t_in) / self.speed

    def source_range(self, info: Any, fps: Fraction, frames: int) -> tuple[float, float]:
        src_in = self.window(info)[0]
        return src_in, src_in + float(frames / fps) * self.speed

    def stream(self, ctx: Ctx, p: Placed, first: int, last: int) -> str:
        """A clip is read by a movie source inside the graph, not an ffmpeg -i input: it is
        decoded only while its scene plays. Frames stay on the grid of the whole scene whatever
        `first` is, so a scene rendered in two pieces joins without a seam."""
        src, pre = self._read(ctx, p, first)
        return self._fit(ctx, src, pre, last - first, p.source.hdr if p.source else None)

    def _read(self, ctx: Ctx, p: Placed, first: int) -> tuple[str, list[Filter]]:
        """The source's label and the filters turning it into the scene's frames from `first`
        on, upright, at the output's rate."""
        info = p.source
        assert self.src is not None and info is not None
        step = float(1 / ctx.fps) * self.speed  # source seconds per output frame
        if ctx.decode_threads == 1:
            origin = info.start + p.src_in  # source time of the scene's frame 0
            opts: dict = {"dec_threads": 1}
            seek = p.src_in + first * step - 1.0 if first else p.src_in
            if seek > 0:
                opts["seek_point"] = round(seek, 6)
            src = ctx.graph.one([], [F("movie", str(self.src), **opts)], "m")
            lead: list[Filter] = []
        else:  # a draft: an -i input, decoded ahead in its own threads, without deblocking
            origin = p.src_in
            i = ctx.graph.add_input(
                self.src, ["-noautorotate", "-threads", "0", "-skip_loop_filter", "all"]
            )
            src, lead = f"{i}:v", [F("setpts", "PTS-STARTPTS")]
        pre = [
            *lead,
            *_upright(info.rotation),
            F("trim", start=round(origin + (first - 0.5) * step, 6))
            if first
            else F("trim", start=round(origin, 6)),
            F("setpts", f"(PTS-{origin:.6f}/TB)/{self.speed:.6f}"),
            F("fps", ctx.rate, start_time=0),
            *([F("trim", start_frame=first)] if first else []),
        ]
        return src, pre

    def _fit(
        self, ctx: Ctx, source: str, pre: list[Filter], frames: int, hdr: Hdr | None = None
    ) -> str:
        """The source's frames fitted to the output frame (cover, contain or blur). HDR frames
        are scaled in their own signal, then converted to SDR at the output size (the float
        conversion costs per pixel: never at a phone's 4K)."""
        w, h = ctx.size
        conv: dict = dict(
            in_color_matrix="auto", out_color_matrix="bt709", out_range="tv", flags=ctx.flags
        )
        sdr: list[Filter] = []
        if hdr is not None:
            conv, sdr = dict(flags=ctx.flags), to_sdr(hdr)
        if self.fit == "cover":
            # crop to the frame's aspect first, then scale: never upscale pixels that are cut away
            fit = [
                F("crop", f"trunc(min(iw,ih*{w}/{h})/2)*2", f"trunc(min(ih,iw*{h}/{w})/2)*2"),
                F("scale", w, h, **conv),
                *sdr,
                F("setsar", 1),
            ]
            return ctx.graph.one(source, [*pre, *fit, F("format", "yuv420p"), *pad_to(ctx, frames)])
        front = [
            F("scale", w, h, force_original_aspect_ratio="decrease", **conv),
            *sdr,
            F("format", "yuv420p"),
            F("setsar", 1),
        ]
        if self.fit == "contain":
            front += [F("pad", w, h, "(ow-iw)/2", "(oh-ih)/2", color="black")]
            return ctx.graph.one(source, [*pre, *front, *pad_to(ctx, frames)])
        src = ctx.graph.one(source, pre)
        a, b = ctx.graph.chain([src], [F("split", 2)], outputs=2)
        qw, qh = max(2, w // 8 * 2 // 2), max(2, h // 8 * 2 // 2)
        back = ctx.graph.one(
            a,
            [
                F("scale", qw, qh, force_original_aspect_ratio="increase", **conv),
                *sdr,
                F("crop", qw, qh),
                F("format", "yuv420p"),
                F("gblur", sigma=max(2, qw / 40)),
                F("lutyuv", y="16+(val-16)*0.55", u="128+(val-128)*0.7", v="128+(val-128)*0.7"),
                F("scale", w, h, flags="bilinear"),
                F("setsar", 1),
            ],
        )
        fore = ctx.graph.one(b, front)
        overlay = F("overlay", "(W-w)/2", "(H-h)/2")
        return ctx.graph.one([back, fore], [overlay, *pad_to(ctx, frames)])

    def sound_volume(self) -> float:
        return self.volume

    def label(self) -> str:
        if self.src is None:
            return "?"
        if ".cmforge" in self.src.parts:  # a generated clip kept in the cache
            return f"generated {self.src.stem[:10]}"
        return self.src.name

    def entry(self, placed: Placed) -> dict:
        return {
            "source": str(self.src) if self.src else None,
            "in": placed.src_in,
            "out": placed.src_out,
        }


def pad_to(ctx: Ctx, frames: int) -> list[Filter]:
    """A source a frame short of its nominal length (rounding, VFR) is held on its last frame."""
    return [F("tpad", stop_mode="clone", stop=2), *ctx.frames_tail(frames)]


def _upright(rotation: int) -> list[Filter]:
    """Phone clips carry a display rotation (counter-clockwise degrees); turn them upright as
    FFmpeg's own autorotate would."""
    clockwise = (-rotation) % 360
    return {
        90: [F("transpose", "clock")],
        180: [F("hflip"), F("vflip")],
        270: [F("transpose", "cclock")],
    }.get(clockwise, [])
