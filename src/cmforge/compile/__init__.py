"""Timeline -> FFmpeg filter graphs and the commands that run them.

An ad is rendered by one ffmpeg process when it reads few clip files. A longer ad is cut into
segments (see pieces.py): one process per segment renders raw frames into a pipe, one by one,
and a single encoder process reads the pipe, mixes the sound and writes the file. Memory then
stays flat however long the ad is, and the picture is encoded once, with no seams."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from ..timeline import Timeline
from ..units import seconds_floor_us
from .audio import audio_stream
from .emit import graph_text, input_args
from .graph import Filter, Graph
from .pieces import Segment, segments
from .scenes import Ctx, scene_stream
from .stills import Stills

F = Filter.of
DRAFT_CLIPS = 8
# how every picture cmforge writes or pipes is tagged: BT.709, limited range
BT709 = [
    "-color_range",
    "tv",
    "-colorspace",
    "bt709",
    "-color_primaries",
    "bt709",
    "-color_trc",
    "bt709",
]
__all__ = ["RenderCommand", "SegmentCommand", "Stills", "compile_timeline"]


@dataclass
class SegmentCommand:
    """One process's share of the picture: frames [start, start + frames) of the ad."""

    graph: Graph
    video: str
    start: int
    frames: int

    def argv(self, ffmpeg: str) -> list[str]:
        return [
            ffmpeg,
            "-y",
            *input_args(self.graph),
            "-filter_complex",
            graph_text(self.graph),
            "-map",
            f"[{self.video}]",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            "pipe:1",
        ]


@dataclass
class RenderCommand:
    segments: list[SegmentCommand]
    audio: Graph
    audio_label: str
    frames: int
    size: tuple[int, int]
    rate: str
    encoder: list[str]

    @property
    def single(self) -> bool:
        return len(self.segments) == 1

    def encoder_argv(self, ffmpeg: str, output: Path) -> list[str]:
        tail = [
            "-map",
            f"[{self.audio_label}]",
            *self.encoder,
            "-frames:v",
            str(self.frames),
            "-f",
            "mp4",
            str(output),
        ]
        if self.single:
            seg = self.segments[0]
            graph = graph_text(seg.graph) + ";" + graph_text(self.audio)
            return [
                ffmpeg,
                "-y",
                *input_args(seg.graph),
                "-filter_complex",
                graph,
                "-map",
                f"[{seg.video}]",
                *tail,
            ]
        w, h = self.size
        return [
            ffmpeg,
            "-y",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "yuv420p",
            "-s",
            f"{w}x{h}",
            "-r",
            self.rate,
            *BT709,
            "-thread_queue_size",
            "2",
            "-i",
            "pipe:0",
            "-filter_complex",
            graph_text(self.audio),
            "-map",
            "0:v",
            *tail,
        ]

    def producers(self, ffmpeg: str) -> list[list[str]]:
        return [] if self.single else [s.argv(ffmpeg) for s in self.segments]

    def shell(self, ffmpeg: str, output: Path) -> str:
        """The exact commands as one shell line."""
        enc = shlex.join(self.encoder_argv(ffmpeg, output))
        if self.single:
            return enc
        return "{ " + "; ".join(shlex.join(p) for p in self.producers(ffmpeg)) + "; } | " + enc


def encoder_args(preset: str, crf: int) -> list[str]:
    # rc-lookahead 10 (x264's default is 40 at medium; veryfast uses 10): measured here on a
    # 20 s 1080x1920 ad, the file is 0.2 % smaller and x264 needs 345 MB instead of 545 MB;
    # threads 2 (x264's own choice here is 3): same speed on 2 cores, about 25 MB less;
    # threads 2 (x264's own choice here is 3): same speed on 2 cores, another 25 MB less
    return [
        "-c:v",
        "libx264",
        "-preset",
        preset,
        "-crf",
        str(crf),
        "-profile:v",
        "high",
        "-x264-params",
        "rc-lookahead=10:threads=2",
        "-pix_fmt",
        "yuv420p",
        *BT709,
        "-c:a",
        "aac",
        "-b:a",
        "192k",
        "-ar",
        "48000",
        "-ac",
        "2",
        "-movflags",
        "+faststart",
    ]


def _pieces(ctx: Ctx, seg: Segment) -> str:
    """Render a segment's pieces and put them end to end. xfade works in 4:4:4 and would convert
    every frame, so only the overlapping frames of two scenes go through it."""
    g, tl = ctx.graph, ctx.timeline
    uses: dict[int, list[tuple[int, int]]] = {}
    for piece in seg.pieces:
        for n, a, b in piece.uses:
            uses.setdefault(n, []).append((a, b))
    cut: dict[tuple[int, int, int], str] = {}
    for n, spans in uses.items():
        lo, hi = seg.window(n)
        stream = scene_stream(ctx, tl.scenes[n], lo, hi)
        outs = (
            [stream]
            if len(spans) == 1
            else g.chain([stream], [F("split", len(spans))], "p", outputs=len(spans))
        )
        for (a, b), label in zip(spans, outs):
            if (a, b) != (lo, hi):
                label = g.one(
                    label,
                    [F("trim", start_frame=a - lo, end_frame=b - lo), F("setpts", "PTS-STARTPTS")],
                    "p",
                )
            cut[(n, a, b)] = label
    parts = []
    for piece in seg.pieces:
        labels = [cut[u] for u in piece.uses]
        if piece.kind == "body":
            parts.append(labels[0])
            continue
        scene = tl.scenes[piece.uses[1][0]].scene
        dur = seconds_floor_us(piece.frames, ctx.fps)
        parts.append(
            g.one(
                labels,
                [
                    F("xfade", transition=scene.transition.type, duration=dur, offset=0),
                    F("format", "yuv420p"),
                    *ctx.frames_tail(piece.frames),
                ],
                "x",
            )
        )
    if len(parts) == 1:
        return parts[0]
    return g.one(parts, [F("concat", n=len(parts), v=1, a=0)], "j")


def _on_top(
    ctx: Ctx,
    base: str,
    seg: Segment,
    picture: Path,
    x: int,
    y: int,
    start: int,
    end: int,
    fade: float,
) -> str:
    """A picture over the frames [start, end) of the ad, as far as they fall in this segment."""
    first, last = max(start, seg.start), min(end, seg.end)
    if last <= first:
        return base
    frames = end - start
    fades = []
    if fade and frames > 4:
        d = min(fade, ctx.timeline.seconds(frames) / 3)
        fades = [
            F("fade", t="in", st=0, d=d, alpha=1),
            F("fade", t="out", st=ctx.timeline.seconds(frames) - d, d=d, alpha=1),
        ]
    layer = ctx.held(picture, frames, alpha=True, extra=fades)
    if (first, last) != (start, end):
        layer = ctx.graph.one(
            layer, [F("trim", start_frame=first - start, end_frame=last - start)], "o"
        )
    if first > seg.start or (first, last) != (start, end):
        layer = ctx.graph.one(layer, [F("setpts", f"N+{first - seg.start}")], "o")
    return ctx.graph.one(
        [base, layer], [F("overlay", x=x, y=y, eof_action="pass", format="yuv420")], "v"
    )


def _place(pos: str, w: int, h: int, pw: int, ph: int, margin: int) -> tuple[int, int]:
    x = {"left": margin, "right": w - pw - margin}.get(pos.split("-")[-1], (w - pw) // 2)
    y = {"top": margin, "bottom": h - ph - margin}.get(pos.split("-")[0], (h - ph) // 2)
    return x // 2 * 2, y // 2 * 2


def _segment(tl: Timeline, stills: Stills, seg: Segment, draft: bool) -> SegmentCommand:
    ctx = Ctx(
        Graph(),
        tl,
        stills,
        tl.width,
        tl.height,
        tl.fps,
        min(tl.width, tl.height) / 1080,
        flags="fast_bilinear" if draft else "bicubic",
        decode_threads=0 if draft else 1,
    )
    video = _pieces(ctx, seg)
    w, h = tl.width, tl.height
    margin = int(0.04 * min(w, h))
    for t in tl.overlays:
        o = t.item
        pic, pw, ph = stills.logo(o.src, max(2, int(round(o.scale * w / 2)) * 2), o.opacity)
        x, y = _place(o.position, w, h, pw, ph, margin)
        video = _on_top(ctx, video, seg, pic, x, y, t.start, t.end, 0.0)
    for t in tl.captions:
        c = t.item
        style = stills.text_style(c.style, ctx.scale)
        box = (int(w * 0.86), int(h * (0.16 if h > w else 0.24)))
        pic, pw, ph = stills.text(c.text, style, box)
        anchor = {"top": 0.12, "center": 0.5, "bottom": 0.80 if h > w else 0.84}[c.position]
        x = (w - pw) // 2 // 2 * 2
        y = int(min(max(h * anchor - ph / 2, margin), h - ph - margin)) // 2 * 2
        video = _on_top(ctx, video, seg, pic, x, y, t.start, t.end, 0.2)
    video = ctx.graph.one(
        video,
        [
            F(
                "setparams",
                range="tv",
                color_primaries="bt709",
                color_trc="bt709",
                colorspace="bt709",
            )
        ],
        "v",
    )
    return SegmentCommand(ctx.graph, video, seg.start, seg.end - seg.start)


def compile_timeline(
    tl: Timeline,
    stills: Stills,
    *,
    preset: str | None = None,
    crf: int | None = None,
    max_clips: int | None = None,
    draft: bool = False,
) -> RenderCommand:
    """draft: a preview: decoders use FFmpeg's threads and scaling is fast_bilinear (decoding
    and scaling full-size sources are most of a draft's cost); one process reads up to
    DRAFT_CLIPS clips, since a draft's frames are small."""
    out = tl.recipe.output
    segs = segments(tl, max_clips if max_clips is not None else (DRAFT_CLIPS if draft else None))
    audio = Graph(prefix="au")
    label = audio_stream(audio, tl)
    return RenderCommand(
        [_segment(tl, stills, s, draft) for s in segs],
        audio,
        label,
        tl.frames,
        (tl.width, tl.height),
        f"{tl.fps.numerator}/{tl.fps.denominator}",
        encoder_args(preset or out.preset, out.crf if crf is None else crf),
    )
