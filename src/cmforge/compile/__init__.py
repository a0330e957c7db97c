"""Timeline -> FFmpeg filter graphs and the commands that run them.

The ad is cut into segments (see pieces.py), each rendered and encoded by one ffmpeg process
into a file of its own; a last process joins the files as they are (no re-encode) and mixes
and encodes the sound. A segment's file is named by everything that determines its pixels, so a
segment that is the same in another variant, or in the last render, is not rendered again (see
render/cache.py). Memory stays flat however long the ad is: one segment renders at a time, and a
segment reads at most two clip files.
"""

from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass, replace
from pathlib import Path

from ..layout import Layout, layout_timeline
from ..media.probe import sha256
from ..recipe.model import Animate
from ..timeline import Timeline
from . import animate, looks
from .audio import Sound, sound_graph
from .context import Ctx, scene_stream
from .emit import graph_text, input_args
from .graph import Filter, Graph
from .guides import draw_guides
from .pieces import Segment, segments
from .stills import Stills

F = Filter.of
DRAFT_CLIPS = 3
CAPTION_ANIMATE = Animate("fade", "fade", 0.2, "linear")  # a caption with no animate key
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
AUDIO_CODEC = ["-c:a", "aac", "-b:a", "192k", "-ar", "48000", "-ac", "2"]
__all__ = ["AUDIO_CODEC", "RenderCommand", "SegmentCommand", "Sound", "Stills", "compile_timeline"]


SEGMENT_FORMAT = 1  # bump when what a segment file holds changes: every cached one is stale


@dataclass
class SegmentCommand:
    """One process's share of the picture: frames [start, start + frames) of the ad, encoded to
    a file of its own. Segments start with a keyframe and join without re-encoding."""

    graph: Graph
    video: str
    start: int
    frames: int

    def files(self) -> list[Path]:
        """Every file the segment reads (inputs, movie sources, rasterised stills)."""
        found = [Path(i.path) for i in self.graph.inputs]
        for chain in self.graph.chains:
            for f in chain.filters:
                if f.name in ("movie", "amovie") and f.positional:
                    found.append(Path(str(f.positional[0])))
        return sorted(set(found))

    def key(self, video_codec: list[str], ffmpeg_version: str) -> str:
        """Everything that determines the segment's pixels: the graph, the bytes of every file
        it reads, the encoder settings, the FFmpeg build. Equal keys, equal files."""
        h = hashlib.sha256()
        for part in (
            f"segment format {SEGMENT_FORMAT}",
            ffmpeg_version,
            " ".join(input_args(self.graph)),
            graph_text(self.graph),
            self.video,
            str(self.frames),
            " ".join(video_codec),
            *(f"{p}={sha256(p) if p.is_file() else 'missing'}" for p in self.files()),
        ):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return h.hexdigest()[:32]

    def encode_argv(self, ffmpeg: str, video_codec: list[str], dest: Path) -> list[str]:
        return [
            ffmpeg,
            "-y",
            *input_args(self.graph),
            "-filter_complex",
            graph_text(self.graph),
            "-map",
            f"[{self.video}]",
            *video_codec,
            "-frames:v",
            str(self.frames),
            "-an",
            "-f",
            "mp4",
            str(dest),
        ]


@dataclass
class RenderCommand:
    segments: list[SegmentCommand]
    audio: Graph
    audio_label: str
    frames: int
    size: tuple[int, int]
    rate: str
    video_codec: list[str]
    layout: Layout | None = None  # where every text and logo is (plan --json shows it)

    def with_sound(self, tl: Timeline, sound: Sound) -> RenderCommand:
        """The same command, its sound graph made from a sound measured since it was made."""
        audio, label = sound_graph(tl, sound)
        return replace(self, audio=audio, audio_label=label)

    def audio_argv(self, ffmpeg: str, dest: Path) -> list[str]:
        """The sound, mixed and encoded on its own (it runs beside the segments)."""
        return [
            ffmpeg,
            "-y",
            "-filter_complex",
            graph_text(self.audio),
            "-map",
            f"[{self.audio_label}]",
            *AUDIO_CODEC,
            "-f",
            "mp4",
            str(dest),
        ]

    def mux_argv(self, ffmpeg: str, segment_list: Path, sound: Path, output: Path) -> list[str]:
        """The finished file: the segments joined and the sound added, as they are (no
        re-encoding)."""
        return [
            ffmpeg,
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(segment_list),
            "-i",
            str(sound),
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-c",
            "copy",
            "-frames:v",
            str(self.frames),
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            str(output),
        ]

    def segment_names(self, ffmpeg_version: str) -> list[str]:
        return [f"{s.key(self.video_codec, ffmpeg_version)}.mp4" for s in self.segments]

    def shell(self, ffmpeg: str, ffmpeg_version: str, output: Path, folder: Path) -> str:
        """The exact commands as one shell line (segment files live in `folder`)."""
        names = self.segment_names(ffmpeg_version)
        steps = [
            shlex.join(s.encode_argv(ffmpeg, self.video_codec, folder / n))
            for s, n in zip(self.segments, names)
        ]
        steps.append(shlex.join(self.audio_argv(ffmpeg, Path("sound.m4a"))))
        listing = "".join(f"file '{folder / n}'\\n" for n in names)
        steps.append(f"printf {shlex.quote(listing)} > segments.txt")
        steps.append(
            shlex.join(self.mux_argv(ffmpeg, Path("segments.txt"), Path("sound.m4a"), output))
        )
        return " && ".join(steps)


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
        *AUDIO_CODEC,
        "-movflags",
        "+faststart",
    ]


def _pieces(ctx: Ctx, seg: Segment) -> str:
    """Render a segment's pieces and put them end to end. Only the overlapping frames of two
    scenes go through the incoming scene's transition (xfade, for one, works in 4:4:4 and would
    convert every frame it sees)."""
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
        transition = tl.scenes[piece.uses[1][0]].scene.transition
        parts.append(transition.video(ctx, labels[0], labels[1], piece.frames))
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


def _segment(
    tl: Timeline, stills: Stills, seg: Segment, draft: bool, layout: Layout, guides: bool = False
) -> SegmentCommand:
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
        layout=layout,
    )
    video = _pieces(ctx, seg)
    for t in tl.overlays:
        o, box = t.item, layout.logo(f"overlays[{t.item.index}]")
        if box is None:
            continue
        pic, _, _ = stills.logo(o.src, box.box.w, o.opacity)
        video = _on_top(ctx, video, seg, pic, box.box.x, box.box.y, t.start, t.end, 0.0)
    for t in tl.captions:
        block = layout.text(f"captions[{t.item.index}].text")
        first, last = max(t.start, seg.start), min(t.end, seg.end)
        if block is None or last <= first:
            continue
        c = t.item
        motion = animate.Motion.of(
            c.animate or CAPTION_ANIMATE, t.end - t.start, float(tl.fps), c.text
        )
        style, look = looks.caption(block.style, c.style.caption, ctx.scale, tl.width)
        x, y = block.box.x, block.box.y
        pad, backing = block.pad, block.backing
        if look is not None:  # the caption's own band or box instead of the layout's
            x, y = x + pad - look.padding, y + pad - look.padding
            x = 0 if look.kind == "band" else x
            pad, backing = 0, ""
        pics, pw, ph, room = animate.pictures(
            ctx, block.text, style, block.measure_box, motion, pad, backing, look
        )
        window = (first - t.start, last - t.start)
        video = animate.overlay(
            ctx, video, pics, (pw, ph), (x - room, y - room), motion, t.start - seg.start, window
        )
    if guides:
        video = draw_guides(
            stills,
            layout,
            (tl.width, tl.height),
            tl.frames,
            video,
            lambda v, pic, x, y, a, b: _on_top(ctx, v, seg, pic, x, y, a, b, 0.0),
        )
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
    sound: Sound | None = None,
    layout: Layout | None = None,
    guides: bool = False,
) -> RenderCommand:
    """draft: a preview: decoders use FFmpeg's threads and scaling is fast_bilinear (decoding
    and scaling full-size sources are most of a draft's cost); one process reads up to
    DRAFT_CLIPS clips, since a draft's frames are small. guides: the safe zone and every text
    and logo box drawn over the picture (compile/guides.py), in a draft only."""
    out = tl.recipe.output
    segs = segments(tl, max_clips if max_clips is not None else (DRAFT_CLIPS if draft else None))
    video_codec = encoder_args(preset or out.preset, out.crf if crf is None else crf)
    audio, label = sound_graph(tl, sound)
    lay = layout if layout is not None else layout_timeline(tl)
    return RenderCommand(
        [_segment(tl, stills, s, draft, lay, guides and draft) for s in segs],
        audio,
        label,
        tl.frames,
        (tl.width, tl.height),
        f"{tl.fps.numerator}/{tl.fps.denominator}",
        video_codec[: video_codec.index("-c:a")],
        lay,
    )
