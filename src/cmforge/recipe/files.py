"""The files a recipe's raw data names, found from the key specs (each `path` key, an image
background), for when the recipe cannot be built: its file problems are then reported beside
its other problems in the same run, not after they are fixed. Pure: this lists, the assets
stage looks at the files."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..media.probe import FFMPEG_IMAGE_EXT, IMAGE_EXT
from .kinds import scene_fields, scene_types
from .model import scene_key
from .spec import TOP, F

# made when missing: a still's path, and a scene's src when the scene has [scenes.generate]
MADE = ("stills",)


def file_refs(data: dict, folder: Path) -> list[tuple[str, Path]]:
    """(key, path) of every file a recipe's well-formed parts name (a path with a
    {{variable}} in it is left to the full check, once the variables are known)."""
    refs = list(_walk(data, {k: v for k, v in TOP.items() if k not in MADE}, ""))
    scenes = data.get("scenes")
    for i, scene in enumerate(scenes if isinstance(scenes, list) else []):
        if isinstance(scene, dict) and scene.get("type") in scene_types():
            fields = dict(scene_fields(scene["type"]))
            if "generate" in scene:  # its src is where the clip or still will be made
                fields.pop("src", None)
            refs += _walk(scene, fields, scene_key(i))
    music = data.get("music")
    track = music.get("track") if isinstance(music, dict) else None
    if isinstance(track, str) and "{{" not in track and ("/" in track or Path(track).suffix):
        refs.append(("music.track", track))  # a file, not a library id
    return [(key, (folder / Path(text).expanduser()).resolve()) for key, text in refs]


def _walk(data: Any, fields: Mapping[str, F], key: str) -> Iterator[tuple[str, str]]:
    if not isinstance(data, dict):
        return
    for name, spec in fields.items():
        value, sub = data.get(name), f"{key}.{name}" if key else name
        if value is None or name == "scenes":
            continue
        if spec.kind == "path" and isinstance(value, str) and value and "{{" not in value:
            yield sub, value
        elif spec.kind == "background" and isinstance(value, str) and _is_picture(value):
            yield sub, value
        elif spec.kind == "table" and spec.fields is not None:
            yield from _walk(value, spec.fields, sub)
        elif spec.kind == "tables" and spec.fields is not None and isinstance(value, list):
            for i, item in enumerate(value):
                yield from _walk(item, spec.fields, f"{sub}[{i}]")


def _is_picture(value: str) -> bool:
    return "{{" not in value and Path(value).suffix.lower() in IMAGE_EXT | FFMPEG_IMAGE_EXT
