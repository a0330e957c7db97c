"""The resolved timeline as an edit a desktop editor can take: every scene as a clip on the
main video track (its source with in/out, a card or still as a picture, a moving still as its
rendered frames), captions and overlays as full-frame PNG layers with alpha on tracks above,
the dissolves between scenes, the sound as tracks, a marker per scene. Every format module
(otio.py, mlt.py) writes this one record; the pixels are cmforge's own (the same rasterisers
and filter graphs a render uses)."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from PIL import Image

from ..compile import Stills
from ..compile.context import Ctx, scene_stream
from ..compile.emit import graph_text, input_args
from ..compile.graph import Graph
from ..generate.base import CACHE_DIR
from ..media.ffmpeg import ffmpeg_binary, run_ffmpeg
from ..media.probe import sha256
from ..render import Plan

MEDIA = "media"  # the folder beside the project holding what cmforge made for it


@dataclass(frozen=True)
class VideoClip:
    """A scene on the main track: frames [start, start + frames) of the ad show `media` from
    source frame `src_in` on. `still`: a picture (no frames of its own); `dissolve_in`: frames
    this scene overlaps the one before (a dissolve over [start, start + dissolve_in))."""

    name: str
    media: Path
    start: int
    frames: int
    src_in: int = 0
    available: int | None = None  # frames the source has (handles), None for a still
    still: bool = False
    dissolve_in: int = 0
    volume: float = 0.0  # the clip's own sound, linear gain (0: none)
    how: str = "source"  # source | card | still | rendered
    fit: str = "cover"  # a source clip: how it fills the frame (cover: cropped to the frame)


@dataclass(frozen=True)
class Layer:
    """A full-frame PNG with alpha shown over frames [start, end)."""

    name: str
    media: Path
    start: int
    end: int
    track: str  # overlays | captions


@dataclass(frozen=True)
class Sound:
    """A sound file on the ad's clock: from `start` frames, source seconds `src_in` on."""

    name: str
    media: Path
    start: int
    frames: int
    src_in: float
    volume_db: float
    fade_in: float = 0.0
    fade_out: float = 0.0
    track: str = "music"  # music | narration | clip sound


@dataclass
class Edit:
    name: str
    fps: Fraction
    width: int
    height: int
    frames: int
    clips: list[VideoClip] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)
    sounds: list[Sound] = field(default_factory=list)
    markers: list[tuple[str, int, int]] = field(default_factory=list)  # name, start, frames


def _ctx(plan: Plan, stills: Stills, graph: Graph) -> Ctx:
    """The context a render's scene compiles in (the same layout of texts and logos)."""
    tl = plan.timeline
    scale = min(tl.width, tl.height) / 1080
    return Ctx(graph, tl, stills, tl.width, tl.height, tl.fps, scale, layout=plan.command.layout)


def _movies(graph: Graph) -> list[Path]:
    return [
        Path(str(f.positional[0]))
        for c in graph.chains
        for f in c.filters
        if f.name == "movie" and f.positional
    ]


def _rendered(graph: Graph, label: str, frames: int, dest: Path) -> Path:
    """A scene's frames rendered by its own filter graph (a Ken Burns move, a sped-up clip)."""
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.stem}.partial-{os.getpid()}.mp4")
        argv = [ffmpeg_binary(), "-y", *input_args(graph), "-filter_complex", graph_text(graph)]
        argv += ["-map", f"[{label}]", "-frames:v", str(frames), "-c:v", "libx264"]
        argv += ["-preset", "veryfast", "-crf", "16", "-pix_fmt", "yuv420p", "-an", str(tmp)]
        try:
            run_ffmpeg(argv)
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
    return dest


def _scene_clip(plan: Plan, stills: Stills, n: int, media: Path) -> VideoClip:
    tl = plan.timeline
    p = tl.scenes[n]
    s = p.scene
    name = s.name or f"{n + 1} {s.type}: {s.label()}"
    common = dict(name=name, start=p.start, frames=p.frames, dissolve_in=p.transition_frames)
    if s.decodes_video and s.src is not None and p.source is not None and s.speed == 1.0:
        info = p.source
        return VideoClip(
            media=s.src,
            src_in=round(p.src_in * tl.fps),
            available=int(info.duration * tl.fps),
            volume=s.sound_volume() if info.has_audio else 0.0,
            fit=getattr(s, "fit", "cover"),
            **common,
        )
    graph = Graph()
    label = scene_stream(_ctx(plan, stills, graph), p)
    movies = _movies(graph)
    moving = any(f.name == "perspective" for c in graph.chains for f in c.filters)
    if len(movies) == 1 and movies[0].suffix.lower() == ".png" and not moving:
        how = "card" if s.src is None else "still"
        dest = media / f"{how}{n + 1:02d}-{movies[0].name}"
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(movies[0], dest)
        return VideoClip(media=dest, still=True, how=how, **common)
    # named by what makes its pixels (the graph and the bytes it reads): an edited recipe
    # never reuses a stale file
    key = hashlib.sha256(graph_text(graph).encode())
    for f in movies:
        key.update(sha256(f).encode())
    dest = media / f"scene{n + 1:02d}-{key.hexdigest()[:16]}.mp4"
    return VideoClip(media=_rendered(graph, label, p.frames, dest), how="rendered", **common)


def _layers(plan: Plan, media: Path) -> list[Layer]:
    """Captions and overlays as the render composes them: each `overlay` node of the segment
    graphs, its picture (the same PNG the layout placed) at its x, y on a transparent full
    frame. A node's frames on the ad's clock come from its own filters (the picture held for
    `loop` + 1 frames, trimmed and shifted into the segment); an item the layout left out has
    no node, and so no layer."""
    tl = plan.timeline
    items = [("overlays", t) for t in tl.overlays] + [("captions", t) for t in tl.captions]
    found: dict[int, Layer] = {}
    for seg in plan.command.segments:
        made = {out: c for c in seg.graph.chains for out in c.outputs}
        for node in seg.graph.chains:
            if not node.filters or node.filters[0].name != "overlay" or len(node.inputs) != 2:
                continue
            traced = _trace(made, node.inputs[1])
            if traced is None:
                continue
            pic, frames, trimmed, shift = traced
            start = seg.start + shift - trimmed
            match = [
                i
                for i, (_, t) in enumerate(items)
                if (t.start, t.end) == (start, start + frames) and i not in found
            ]
            if not match:
                continue
            i, (kind, t) = match[0], items[match[0]]
            args = dict(node.filters[0].args)
            x, y = int(args["x"]), int(args["y"])
            dest = media / f"{kind[:-1]}{i + 1:02d}-{pic.stem}-{tl.width}x{tl.height}+{x}+{y}.png"
            if not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                frame = Image.new("RGBA", (tl.width, tl.height), (0, 0, 0, 0))
                with Image.open(pic) as im:
                    frame.paste(im.convert("RGBA"), (x, y))  # onto transparency: as it is
                frame.save(dest)
            found[i] = Layer(f"{kind[:-1]} {i + 1}", dest, t.start, t.end, kind)
    return [found[i] for i in sorted(found)]


def _trace(made: dict, label: str) -> tuple[Path, int, int, int] | None:
    """A layer's picture and frames: (PNG, frames held, frames trimmed from its start, frame
    of the segment it starts on), from the chains that made `label`."""
    trimmed = shift = 0
    while label in made:
        chain = made[label]
        for f in chain.filters:
            args = dict(f.args)
            if f.name == "trim" and "start_frame" in args and chain.filters[0].name != "movie":
                trimmed = int(args["start_frame"])
            if f.name == "setpts" and f.positional and str(f.positional[0]).startswith("N+"):
                shift = int(str(f.positional[0])[2:])
        first = chain.filters[0]
        if first.name == "movie":
            loops = [int(dict(f.args)["loop"]) for f in chain.filters if f.name == "loop"]
            if not loops:
                return None
            return Path(str(first.positional[0])), loops[0] + 1, trimmed, shift
        if first.name == "concat" and chain.inputs:
            # a typewriter / words reveal: pictures of the text shown in turn, the last one
            # the whole text; the editor gets the whole text for all of the parts' frames
            parts = [_trace(made, i) for i in chain.inputs]
            if any(t is None for t in parts):
                return None
            return parts[-1][0], sum(t[1] for t in parts), trimmed, shift  # type: ignore[index]
        if len(chain.inputs) != 1:
            return None
        label = chain.inputs[0]
    return None


def _music(plan: Plan) -> Sound | None:
    """The music from its start in the track for the whole ad. A track shorter than the ad is
    the one the render plays, repeated with prepared seams (audio/loop.py), when the plan has
    it; otherwise it stops where the file ends (the editor loops it)."""
    tl, m = plan.timeline, plan.timeline.recipe.music
    if m is None or m.path is None:
        return None
    path, src_in = m.path, m.start
    looped = plan.sound.music if plan.sound is not None else None
    if looped is not None and Path(looped).is_file():
        path, src_in = Path(looped), 0.0
    frames = tl.frames
    info = tl.media.get(path)
    if info is not None and info.duration:
        frames = max(1, min(frames, int((info.duration - src_in) * tl.fps)))
    name = m.track or m.path.stem
    return Sound(name, path, 0, frames, src_in, m.volume_db, m.fade_in, m.fade_out, "music")


def _sounds(plan: Plan, clips: list[VideoClip]) -> list[Sound]:
    tl = plan.timeline
    music = _music(plan)
    out: list[Sound] = [music] if music else []
    for a in tl.recipe.audio:
        start = round(a.start * tl.fps)
        info = tl.media.get(a.src)
        length = round(info.duration * tl.fps) if info is not None else tl.frames - start
        frames = max(0, min(length, tl.frames - start))
        if frames:
            out.append(Sound(a.src.stem, a.src, start, frames, 0.0, a.volume_db, track="narration"))
    for c in clips:
        if c.volume > 0:
            db = 20 * math.log10(c.volume)
            out.append(
                Sound(
                    c.name,
                    c.media,
                    c.start,
                    c.frames,
                    float(c.src_in / tl.fps),
                    db,
                    track="clip sound",
                )
            )
    return out


def build_edit(plan: Plan, media: Path) -> Edit:
    """The plan's timeline as an edit; what cmforge makes for it (cards, layers, rendered
    moves) is written into `media`."""
    tl = plan.timeline
    stills = Stills(tl.recipe.folder / CACHE_DIR / "stills", tl.recipe.folder)
    clips = [_scene_clip(plan, stills, n, media) for n in range(len(tl.scenes))]
    edit = Edit(tl.recipe.variant or tl.recipe.file.stem, tl.fps, tl.width, tl.height, tl.frames)
    edit.clips = clips
    edit.layers = _layers(plan, media)
    edit.sounds = _sounds(plan, clips)
    edit.markers = [(c.name, c.start, c.frames) for c in clips]
    return edit
