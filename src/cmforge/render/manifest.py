"""The manifest written beside every video: where everything in it came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import __version__, atomic
from ..generate import GenerationResult
from ..media.probe import sha256
from ..timeline import Timeline


def manifest_path(video: Path) -> Path:
    return video.with_name(video.stem + ".manifest.json")


def build_manifest(
    tl: Timeline,
    video: Path,
    ffmpeg_version: str,
    ffmpeg_command: str,
    generated: dict[Path, GenerationResult],
    used: dict[Path, str],
    preview: bool,
    sound: dict | None = None,
) -> dict:
    r = tl.recipe
    sources = []
    for path, key in sorted(used.items(), key=lambda kv: kv[1]):
        info = tl.media.get(path)
        entry = {
            "key": key,
            "path": str(path),
            "sha256": sha256(path) if path.is_file() else None,
            "kind": info.kind if info else None,
        }
        if path in generated:
            g = generated[path]
            entry["generated"] = {
                "provider": g.provider,
                "task_id": g.task_id,
                "cost": g.cost,
                "request": g.request,
                **g.details,
            }
        sources.append(entry)
    scenes = [
        {
            "index": p.scene.index,
            "type": p.scene.type,
            "name": p.scene.name,
            "start": tl.seconds(p.start),
            "end": tl.seconds(p.end),
            "frames": p.frames,
            "transition": {
                "type": p.scene.transition.type,
                "duration": tl.seconds(p.transition_frames),
                **p.scene.transition.entry(),
            },
            **p.scene.entry(p),
        }
        for p in tl.scenes
    ]
    music = None
    if r.music is not None:
        music = {"track": r.music.track, "path": str(r.music.path), **r.music.info}
    return {
        "cmforge": __version__,
        "ffmpeg": ffmpeg_version,
        "command_line": sys.argv,
        "ffmpeg_command": ffmpeg_command,
        "recipe": str(r.file),
        "variant": r.variant,
        "vars": r.vars,
        "preview": preview,
        "output": {
            "path": str(video),
            "width": tl.width,
            "height": tl.height,
            "fps": f"{tl.fps.numerator}/{tl.fps.denominator}",
            "frames": tl.frames,
            "duration": tl.duration,
            **((sound or {}).get("delivered") or {}),
        },
        "scenes": scenes,
        "sources": sources,
        "music": music,
        **{k: v for k, v in (sound or {}).items() if k != "delivered"},
    }


def write_json_atomic(path: Path, data: dict) -> None:
    atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
