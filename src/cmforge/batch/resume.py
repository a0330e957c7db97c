"""`--resume`: whether a variant's video is already what rendering its recipe now would make."""

from __future__ import annotations

import json
from pathlib import Path

from ..media.ffmpeg import check_ffmpeg
from ..media.probe import sha256
from ..pipeline import Plan, plan
from ..recipe.model import Recipe
from ..render.manifest import manifest_path
from ..version import __version__


def _frames_in(video: Path) -> int | None:
    import av

    try:
        with av.open(str(video)) as c:
            return c.streams.video[0].frames
    except Exception:  # any damage means: not current
        return None


def is_current(
    recipe: Recipe, output: Path, *, preview: bool = False, planned: Plan | None = None
) -> tuple[bool, str]:
    """Whether the video at output (and its manifest) is what rendering the recipe now would
    make: same ffmpeg command line, same source files (sha256), same cmforge and FFmpeg, the
    video's own bytes are those the manifest recorded (sha256: a truncated or edited file is
    not current even when its header still claims every frame), and it opens with the frame
    count its manifest records. Returns (current, reason)."""

    if not output.is_file():
        return False, "no video yet"
    try:
        m = json.loads(manifest_path(output).read_text(encoding="utf-8"))
    except OSError:
        return False, "no manifest"
    except ValueError:
        return False, "the manifest does not read"
    if m.get("cmforge") != __version__:
        return False, f"made by cmforge {m.get('cmforge')}, this is {__version__}"
    if m.get("ffmpeg") != check_ffmpeg().version:
        return False, f"made by FFmpeg {m.get('ffmpeg')}"
    p = planned or plan(recipe, preview=preview)
    if p.generation:
        return False, "a clip is to be generated"
    recorded = {s.get("path"): s.get("sha256") for s in m.get("sources", [])}
    if set(recorded) != {str(path) for path in p.assets.used}:
        return False, "the recipe uses other source files"
    for path, digest in recorded.items():
        f = Path(path)
        if not f.is_file():
            return False, f"{f.name} is missing"
        if sha256(f) != digest:
            return False, f"{f.name} changed"
    if m.get("ffmpeg_command") != p.shell(output):
        return False, "the ffmpeg command changed"
    recorded_out = m.get("output") or {}
    if recorded_out.get("sha256") and sha256(output) != recorded_out["sha256"]:
        return False, "the video is not the file its manifest describes (changed or damaged)"
    frames = recorded_out.get("frames")
    found = _frames_in(output)
    if found is None:
        return False, "the video does not open"
    if found != frames:
        return False, f"the video has {found} frames, its manifest says {frames}"
    return True, "up to date"
