"""The render stage: a plan made into a video.

`render_plan` measures what the plan left to measure (render/sound.py), renders the segments
not in the cache (render/segments.py, render/cache.py) while the sound is encoded beside them,
joins both without re-encoding (render/mux.py), checks the file (render/verify.py), renames it
into place and writes the manifest and credits beside it (render/manifest.py).

The package shares its name with `cmforge.render`, the function: import from it with
`from cmforge.render import ...`."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from .. import atomic
from ..errors import RenderError
from ..generate import GenerationResult
from ..generate.base import CACHE_DIR
from ..media.ffmpeg import check_ffmpeg
from . import cache, mux, verify
from .manifest import credits_path, manifest_path, render_manifest, write_json_atomic
from .plan import Events, Plan, Progress
from .segments import in_sound, render_segments
from .sound import prepare_sound

__all__ = ["Events", "Plan", "Progress", "render_plan"]


def render_plan(
    p: Plan,
    *,
    generated: dict[Path, GenerationResult] | None = None,
    on_progress: Progress | None = None,
    on_event: Events | None = None,
) -> Path:
    """Render a plan whose media all exist; returns the video's path. The file is written
    under a partial name beside the output, checked, then renamed over it: the old file
    survives any failure, and a killed render's leftovers are swept by the next render of the
    same output. `generated`: the clips made for this render (the manifest records them)."""
    if p.assets.jobs:
        raise RenderError(f"{len(p.assets.jobs)} clip(s) of the plan are not generated yet")
    say = on_event or (lambda _m: None)
    info = check_ffmpeg()
    try:
        p = _measured(p, info.binary)
    except RenderError as exc:
        raise in_sound(p, exc) from None
    out = p.output
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic.sweep(out.parent, f".{out.stem}.partial-*{out.suffix}")  # killed renders' leftovers
    atomic.sweep(out.parent, f".{out.stem}.segments-*")
    _give_back_memory()
    tmp = out.with_name(f".{out.stem}.partial-{os.getpid()}{out.suffix}")
    work = out.with_name(f".{out.stem}.segments-{os.getpid()}")
    root = cache.cache_root()
    folder = cache.segment_folder(root) if root else work
    try:
        work.mkdir(exist_ok=True)
        sound_file = work / "sound.m4a"
        with ThreadPoolExecutor(max_workers=1) as beside:  # the sound, while the picture renders
            audio = beside.submit(mux.encode_sound, p, info, sound_file)
            hits = render_segments(p, info, folder, on_progress)
            try:
                loudness = audio.result()
            except RenderError as exc:
                raise in_sound(p, exc) from None
        mux.join(p, info, folder, work / "segments.txt", sound_file, tmp)
        verify.verify_output(tmp, p.timeline)
        manifest = render_manifest(
            p,
            out,
            delivered=tmp,
            loudness=loudness,
            info=info,
            folder=folder,
            cached=root is not None,
            hits=hits,
            generated=generated or {},
            say=say,
        )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    write_json_atomic(manifest_path(out), manifest)
    atomic.write_text(credits_path(out), manifest["credits"])
    return out


def _measured(p: Plan, ffmpeg: str) -> Plan:
    """The plan with its sound measured where plan() found no measurement in the cache."""
    if p.sound is None or not p.sound.pending:
        return p
    sound = prepare_sound(p.timeline, ffmpeg, p.recipe.folder / CACHE_DIR, known=p.sound)
    return replace(p, sound=sound, command=p.command.with_sound(p.timeline, sound))


def _give_back_memory() -> None:
    """While FFmpeg renders, this process only waits: drop fonts and glyph tables (~30 MB)
    and hand freed heap back to the system, so the render's total footprint stays lower."""
    import ctypes
    import gc

    from ..text import release_caches

    release_caches()
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to trim
