"""The stills part of the assets stage: which of the recipe's stills are still to make, where
each one's picked take lives, and what stands in for a still not made yet while planning.

A still is an ordinary file once made. Before that, a reference to its path (an image scene's
src, a title background, the end slate's logo, a clip's generate image) counts as "to be
generated", not as a missing file: the timeline is given a stand-in probe, and `plan` draws
a planning picture in the cache for the stages that read pixels."""

from __future__ import annotations

import os
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PIL import Image

from .. import atomic
from ..generate.base import CACHE_DIR, GenerationJob
from ..generate.jobs import still_jobs
from ..media.probe import MediaInfo
from ..recipe.model import Recipe
from ..text import TextStyle, render_text
from .standins import needs_real

if TYPE_CHECKING:
    from .media import Assets

T = TypeVar("T")


def gather_stills(recipe: Recipe, assets: Assets) -> None:
    """Add the recipe's stills to `assets`: their jobs (the takes not made yet), the file of
    each still's picked take, and for a picked take not made yet its planning picture (with its
    media facts)."""
    size = (recipe.output.width, recipe.output.height)
    for still in recipe.stills:
        jobs = still_jobs(still, size)
        picked = jobs[still.generate.pick - 1]
        assets.stills[still.path] = picked.dest
        for job in jobs:
            if job.dest in assets.pending:
                continue
            if job.dest.exists() and not needs_real(job, recipe.folder):
                continue  # made already (a stand-in is made for real: standins.py)
            assets.jobs.append(job)
            assets.pending[job.dest] = job.fingerprint
        if picked.dest in assets.pending:
            planned = planning_picture(recipe, picked)
            assets.stand_ins[picked.dest] = planned
            assets.media[planned] = MediaInfo(planned, "image", *picked.size)


def planning_picture(recipe: Recipe, job: GenerationJob) -> Path:
    """What stands in for a still not made yet in a plan (the shape of the still, grey, with
    its prompt), kept in the cache by the still's fingerprint; a render makes the real still
    and plans again, so this picture is never in a video."""
    folder = recipe.folder / CACHE_DIR / "stills" / "planned" / job.fingerprint[:24]
    path = folder / f"{job.dest.stem}.png"  # the plan names the scene by the still's name
    if path.exists():
        return path
    w, h = job.size
    k = min(1.0, 540 / max(w, h))  # a plan needs the shape, not the pixels
    w, h = max(2, round(w * k)), max(2, round(h * k))
    im = Image.new("RGBA", (w, h), (110, 110, 116, 255))
    text = render_text(
        f"still to be generated: {job.generate.prompt}",
        TextStyle(weight="regular", max_size=h / 24),
        (int(w * 0.8), int(h * 0.5)),
    )
    im.alpha_composite(text, ((w - text.width) // 2, (h - text.height) // 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = atomic.temporary(path)
    try:
        im.convert("RGB").save(tmp, format="PNG")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def swap_paths(record: T, paths: dict[Path, Path]) -> T:
    """The record with every path in `paths` replaced, in its fields and in the records it
    holds (a scene's background, its generate request, ...)."""
    if not paths or not is_dataclass(record) or isinstance(record, type):
        return record
    changes: dict[str, Any] = {}
    for f in fields(record):
        if not f.init:
            continue
        value = getattr(record, f.name)
        if isinstance(value, Path):
            if value in paths:
                changes[f.name] = paths[value]
        elif is_dataclass(value) and not isinstance(value, type):
            new = swap_paths(value, paths)
            if new is not value:
                changes[f.name] = new
    return replace(record, **changes) if changes else record  # type: ignore[type-var]


def with_still_files(recipe: Recipe, paths: dict[Path, Path]) -> Recipe:
    """The recipe reading each still's file from `paths` (a still's path -> the file to read)."""
    if not paths or all(k == v for k, v in paths.items()):
        return recipe
    return replace(
        recipe,
        scenes=tuple(swap_paths(s, paths) for s in recipe.scenes),
        overlays=tuple(swap_paths(o, paths) for o in recipe.overlays),
    )


def planned_files(assets: Assets) -> dict[Path, Path]:
    """A still's path -> the file a plan reads: its picked take, or while that is not made
    yet its planning picture."""
    return {path: assets.stand_ins.get(take, take) for path, take in assets.stills.items()}
