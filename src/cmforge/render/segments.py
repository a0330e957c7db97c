"""The picture: each segment not in the cache rendered and encoded by one ffmpeg process into
a file of its own, checked, and put into the cache (render/cache.py)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import atomic
from ..compile import SegmentCommand
from ..errors import RenderError
from ..media.ffmpeg import FFmpegInfo, run_ffmpeg
from . import cache
from .plan import Plan, Progress

DRAFT_AT_ONCE = 2  # preview segments rendered at once (small frames: memory allows it)


def render_segments(p: Plan, info: FFmpegInfo, folder: Path, on_progress: Progress | None) -> int:
    """Render the segments not in the cache; returns how many were found there. A full render
    runs one segment at a time (x264 at full size already keeps both cores busy, and memory
    stays that of one segment); a preview runs DRAFT_AT_ONCE, since decoding the full-size
    sources, not encoding, is most of its cost."""
    total = p.timeline.frames
    folder.mkdir(parents=True, exist_ok=True)
    atomic.sweep(folder, ".*.partial-*.mp4")
    names = p.command.segment_names(info.version)
    done = [0] * len(names)
    guard = threading.Lock()

    def advance(i: int, frames: int) -> None:
        if on_progress is None:
            return
        with guard:
            done[i] = frames
            on_progress(sum(done), total)

    def one(i: int) -> bool:
        seg, name = p.command.segments[i], names[i]
        with cache.claimed(folder, name):
            hit = cache.lookup(folder, name, seg.frames) is not None
            if not hit:
                _encode_segment(p, info, seg, folder, name, lambda d, _t: advance(i, d))
        advance(i, seg.frames)
        return hit

    at_once = DRAFT_AT_ONCE if p.preview else 1
    if at_once == 1 or len(names) == 1:
        return sum(one(i) for i in range(len(names)))
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        return sum(pool.map(one, range(len(names))))


def _encode_segment(
    p: Plan,
    info: FFmpegInfo,
    seg: SegmentCommand,
    folder: Path,
    name: str,
    on_progress: Progress | None,
) -> None:
    """One segment rendered to a partial file, its frames counted, then renamed into the
    cache as `name`."""
    part = folder / f".{name[:-4]}.partial-{atomic.tag()}.mp4"
    try:
        try:
            run_ffmpeg(
                seg.encode_argv(info.binary, p.command.video_codec, part),
                total_frames=seg.frames,
                fps=float(p.timeline.fps),
                on_progress=on_progress,
            )
        except RenderError as exc:
            raise RenderError(
                f"{exc.message}\n{where(p, seg)}", exc.argv, exc.stderr_tail
            ) from None
        got = cache.frames_in(part)
        if got != seg.frames:
            raise RenderError(
                f"ffmpeg made {got} frames instead of {seg.frames} (a file read ended early?)"
                f"\n{where(p, seg)}"
            )
        cache.store(part, folder, name)
    finally:
        part.unlink(missing_ok=True)


def where(p: Plan, seg: SegmentCommand) -> str:
    """The failing segment in the recipe's words: its time range and frames, the scene(s) it
    belongs to and the user's files it shows (the scenes' and the overlays' on screen), each
    with the key that names it."""
    tl, end = p.timeline, seg.start + seg.frames
    index = p.command.segments.index(seg) + 1 if seg in p.command.segments else 0
    scenes = [x.scene for x in tl.scenes if x.start < end and x.end > seg.start]
    shown = [(key, path) for s in scenes for key, path, _kind in s.files()]
    shown += [
        (f"overlays[{o.item.index}].src", o.item.src)
        for o in tl.overlays
        if o.start < end and o.end > seg.start
    ]
    read = {path.resolve() for path in seg.files()}
    shown += [(key, path) for path, key in p.assets.used.items() if path.resolve() in read]
    files = [f"{key} {os.path.relpath(path, tl.recipe.folder)!r}" for key, path in shown]
    return (
        f"  in segment {index} of {len(p.command.segments)}: "
        f"{tl.seconds(seg.start):.2f}-{tl.seconds(end):.2f} s (frames {seg.start}-{end - 1}), "
        f"scene{'s' if len(scenes) > 1 else ''} "
        + ", ".join(f"{s.key} ({s.type})" for s in scenes)
        + f"\n  its files: {', '.join(dict.fromkeys(files)) or 'none of the recipe'}"
    )


def sound_where(p: Plan) -> str:
    """A failure of the sound (measured or encoded beside the picture): the files it reads."""
    tl = p.timeline
    files = [
        (f"{x.scene.key}.src", x.scene.src)
        for x in tl.scenes
        if x.scene.src is not None
        and x.source is not None
        and x.source.has_audio
        and x.scene.sound_volume() > 0
    ]
    files += [(f"audio[{a.index}].src", a.src) for a in tl.recipe.audio]
    m = tl.recipe.music
    if m is not None and m.path is not None:
        files.append(("music.track", m.path))
    shown = [f"{key} {os.path.relpath(path, tl.recipe.folder)!r}" for key, path in files]
    return f"  in the sound of the ad; its files: {', '.join(shown) or 'none of the recipe'}"


def in_sound(p: Plan, exc: RenderError) -> RenderError:
    """The error of a failed sound step, saying which files the sound reads."""
    return RenderError(f"{exc.message}\n{sound_where(p)}", exc.argv, exc.stderr_tail)
