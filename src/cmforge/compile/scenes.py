"""One small compiler per scene kind: each turns a placed scene into a video stream of exactly
its frame count, WxH yuv420p BT.709, time base 1/fps, pts = frame index."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..timeline import Placed, Timeline
from . import motion
from .graph import Filter, Graph
from .stills import Stills, canvas_size

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

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def tb(self) -> str:
        return f"{self.fps.denominator}/{self.fps.numerator}"

    @property
    def rate(self) -> str:
        return f"{self.fps.numerator}/{self.fps.denominator}"

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


def title(ctx: Ctx, p: Placed, first: int, last: int) -> str:
    s, (w, h) = p.scene, ctx.size
    short = min(w, h)
    head = ctx.stills.text_style(s.style, ctx.scale, align=s.align)
    sub = ctx.stills.text_style(
        s.style, ctx.scale, size=s.style.size * 0.45 if s.style.size else 60, align=s.align
    )
    margin = 0.08 * short
    texts = [(s.text, head, (margin, h * 0.30, w - 2 * margin, h * 0.28 if h > w else h * 0.4))]
    if s.subtext:
        texts.append(
            (s.subtext, sub, (margin, h * (0.60 if h > w else 0.72), w - 2 * margin, h * 0.10))
        )
    return ctx.held(ctx.stills.card("title", s.background, ctx.size, texts), last - first)


def endslate(ctx: Ctx, p: Placed, first: int, last: int) -> str:
    s, (w, h) = p.scene, ctx.size
    short = min(w, h)
    margin = 0.08 * short
    name = ctx.stills.text_style(s.style, ctx.scale)
    sub = ctx.stills.text_style(
        s.style, ctx.scale, size=s.style.size * 0.55 if s.style.size else 64
    )
    top = 0.50 if s.logo else 0.38
    texts = [
        (s.text, name, (margin, h * top, w - 2 * margin, h * 0.12)),
        (s.subtext, sub, (margin, h * (top + 0.13), w - 2 * margin, h * 0.07)),
    ]
    return ctx.held(
        ctx.stills.card("endslate", s.background, ctx.size, texts, s.logo), last - first
    )


def image(ctx: Ctx, p: Placed, first: int, last: int) -> str:
    s = p.scene
    assert s.src is not None and p.source is not None
    canvas = canvas_size((p.source.width, p.source.height), ctx.size, s.fit)
    if s.motion == "none":
        return ctx.held(ctx.stills.picture(s.src, ctx.size, s.fit, None), last - first)
    start, end = motion.windows(canvas, ctx.size, s.motion)
    region = motion.union(start, end)
    pic = ctx.stills.picture(s.src, ctx.size, s.fit, region)
    move = F(
        "perspective",
        interpolation="linear",
        eval="frame",
        **motion.corners(region, start, end, ctx.size, p.frames, first),
    )
    return ctx.held(pic, last - first, extra=[move])


def clip(ctx: Ctx, p: Placed, first: int, last: int) -> str:
    """A clip is read by a movie source inside the graph, not an ffmpeg -i input: it is decoded
    only while its scene plays. Frames stay on the grid of the whole scene whatever `first` is,
    so a scene rendered in two pieces joins without a seam."""
    s, (w, h) = p.scene, ctx.size
    info = p.source
    assert s.src is not None and info is not None
    step = float(1 / ctx.fps) * s.speed  # source seconds per output frame
    if ctx.decode_threads == 1:
        origin = info.start + p.src_in  # source time of the scene's frame 0
        opts: dict = {"dec_threads": 1}
        seek = p.src_in + first * step - 1.0 if first else p.src_in
        if seek > 0:
            opts["seek_point"] = round(seek, 6)
        src = ctx.graph.one([], [F("movie", str(s.src), **opts)], "m")
        lead: list[Filter] = []
    else:  # a draft: an -i input, decoded ahead in its own threads, without deblocking
        origin = p.src_in
        i = ctx.graph.add_input(
            s.src, ["-noautorotate", "-threads", "0", "-skip_loop_filter", "all"]
        )
        src, lead = f"{i}:v", [F("setpts", "PTS-STARTPTS")]
    pre = [
        *lead,
        *_upright(info.rotation),
        F("trim", start=round(origin + (first - 0.5) * step, 6))
        if first
        else F("trim", start=round(origin, 6)),
        F("setpts", f"(PTS-{origin:.6f}/TB)/{s.speed:.6f}"),
        F("fps", ctx.rate, start_time=0),
        *([F("trim", start_frame=first)] if first else []),
    ]
    frames = last - first
    i = src
    conv = dict(in_color_matrix="auto", out_color_matrix="bt709", out_range="tv", flags=ctx.flags)
    if s.fit == "cover":
        # crop to the frame's aspect first, then scale: never upscale pixels that are cut away
        fit = [
            F("crop", f"trunc(min(iw,ih*{w}/{h})/2)*2", f"trunc(min(ih,iw*{h}/{w})/2)*2"),
            F("scale", w, h, **conv),
            F("setsar", 1),
        ]
        return ctx.graph.one(i, [*pre, *fit, F("format", "yuv420p"), *_pad(ctx, frames)])
    front = [
        F("scale", w, h, force_original_aspect_ratio="decrease", **conv),
        F("format", "yuv420p"),
        F("setsar", 1),
    ]
    if s.fit == "contain":
        front += [F("pad", w, h, "(ow-iw)/2", "(oh-ih)/2", color="black")]
        return ctx.graph.one(i, [*pre, *front, *_pad(ctx, frames)])
    src = ctx.graph.one(i, pre)
    a, b = ctx.graph.chain([src], [F("split", 2)], outputs=2)
    qw, qh = max(2, w // 8 * 2 // 2), max(2, h // 8 * 2 // 2)
    back = ctx.graph.one(
        a,
        [
            F("scale", qw, qh, force_original_aspect_ratio="increase", **conv),
            F("crop", qw, qh),
            F("format", "yuv420p"),
            F("gblur", sigma=max(2, qw / 40)),
            F("lutyuv", y="16+(val-16)*0.55", u="128+(val-128)*0.7", v="128+(val-128)*0.7"),
            F("scale", w, h, flags="bilinear"),
            F("setsar", 1),
        ],
    )
    fore = ctx.graph.one(b, front)
    return ctx.graph.one([back, fore], [F("overlay", "(W-w)/2", "(H-h)/2"), *_pad(ctx, frames)])


def _upright(rotation: int) -> list[Filter]:
    """Phone clips carry a display rotation (counter-clockwise degrees); turn them upright as
    FFmpeg's own autorotate would."""
    clockwise = (-rotation) % 360
    return {
        90: [F("transpose", "clock")],
        180: [F("hflip"), F("vflip")],
        270: [F("transpose", "cclock")],
    }.get(clockwise, [])


def _pad(ctx: Ctx, frames: int) -> list[Filter]:
    """A source a frame short of its nominal length (rounding, VFR) is held on its last frame."""
    return [F("tpad", stop_mode="clone", stop=2), *ctx.frames_tail(frames)]


COMPILERS = {"title": title, "endslate": endslate, "image": image, "clip": clip}


def scene_stream(ctx: Ctx, p: Placed, first: int = 0, last: int | None = None) -> str:
    """Frames [first, last) of a placed scene (all of it by default)."""
    return COMPILERS[p.scene.type](ctx, p, first, p.frames if last is None else last)
