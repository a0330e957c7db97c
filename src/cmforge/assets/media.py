"""Find, probe and (when missing) generate every file a recipe uses."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import Problem, RecipeError
from ..generate import GenerationJob, jobs_for
from ..generate.jobs import waiting_jobs
from ..media.decode import check_end, promised
from ..media.probe import MediaInfo, ProbeError, probe
from ..recipe.files import file_refs
from ..recipe.load import read_recipe
from ..recipe.model import Recipe, Scene
from ..timeline import Timeline
from .standins import needs_real
from .stills import gather_stills, planned_files, with_still_files


@dataclass
class Assets:
    media: dict[Path, MediaInfo] = field(default_factory=dict)
    jobs: list[GenerationJob] = field(default_factory=list)  # clips still to generate
    used: dict[Path, str] = field(default_factory=dict)  # path -> key that uses it
    dest: dict[int, Path] = field(default_factory=dict)  # generated scene -> its clip file
    stills: dict[Path, Path] = field(default_factory=dict)  # a still's path -> its picked take
    pending: dict[Path, str] = field(default_factory=dict)  # still file to make -> fingerprint
    stand_ins: dict[Path, Path] = field(default_factory=dict)  # ... -> its planning picture
    chained: dict[Path, Scene] = field(default_factory=dict)  # clip waiting for a still -> scene


def references(recipe: Recipe) -> list[tuple[str, Path, str]]:
    """(key, path, expected kind) for every file the recipe reads."""
    refs = [ref for s in recipe.scenes for ref in s.files()]
    refs += [(f"overlays[{o.index}].src", o.src, "image") for o in recipe.overlays]
    if recipe.music is not None and recipe.music.path is not None:
        refs.append(("music.track", recipe.music.path, "audio"))
    refs += [(f"audio[{a.index}].src", a.src, "audio") for a in recipe.audio]
    return refs


def _as_written(path: Path, folder: Path) -> str:
    return os.path.relpath(path, folder)


def unreadable(path: Path, exc: ProbeError, recipe: Path, key: str) -> Problem:
    """A file that is missing or cannot be read, as the key that names it."""
    hint = (
        "check the path (relative to the recipe's folder)"
        if "not found" in str(exc)
        else "re-export or re-download the file"
    )
    return Problem(f"{_as_written(path, recipe.parent)!r}: {exc}", recipe, key, hint=hint)


def file_problems(recipe: Path, found: list[Problem]) -> list[Problem]:
    """The files named by the well-formed parts of a recipe that cannot be built (`found`: its
    problems), probed: so a missing image is reported beside a typo'd key in the same run."""
    try:
        source = read_recipe(recipe)
    except RecipeError:
        return []
    named = {p.key for p in found}
    problems = []
    for key, path in file_refs(source.data, source.folder):
        if key in named:
            continue
        try:
            probe(path)
        except ProbeError as exc:
            problems.append(
                replace(unreadable(path, exc, source.path, key), line=source.lines.line_of(key))
            )
    return problems


def gather(recipe: Recipe) -> Assets:
    """Probe every file up front; list stills and clips to generate; raise every problem at
    once. A still's path is read as the file of its picked take; one not made yet counts as
    to be generated (a clip whose image it is waits for it)."""
    assets, problems = Assets(), []
    folder = recipe.folder
    gather_stills(recipe, assets)
    recipe = with_still_files(recipe, assets.stills)
    music = recipe.music
    if music is not None and music.path is None:
        problems.append(
            Problem(
                "the music's file was never looked up",
                recipe.file,
                "music.mood" if music.mood else "music.track",
                hint="load the recipe with cmforge.load_recipe, which searches the audio "
                "libraries (cmforge.recipe.load_recipe leaves the music as written)",
            )
        )
    size = (recipe.output.width, recipe.output.height)
    for s in recipe.scenes:
        if s.generate is None:
            continue
        if (
            s.src is not None
            and s.generate.takes == 1
            and s.src.exists()
            and not needs_real(jobs_for(s, folder, size)[0], folder)
        ):
            continue  # the user's own file, or the result of an earlier render
        if s.src is not None and not s.src.resolve().is_relative_to(folder):
            problems.append(
                Problem(
                    "a generated clip is saved at src, which must be inside the recipe's folder",
                    recipe.file,
                    f"{s.key}.src",
                )
            )
        jobs = waiting_jobs(jobs_for(s, folder, size), assets.pending, folder)
        picked = jobs[s.generate.pick - 1]
        if any(p in assets.pending for p in (s.generate.image, s.generate.image_tail)):
            assets.chained.update({job.dest: s for job in jobs})
        assets.dest[s.index] = picked.dest
        for job in jobs:
            if any(j.dest == job.dest for j in assets.jobs):
                continue  # two scenes asking for the same clip: made once
            # made by an earlier render: reuse it untouched (a stand-in is made for real when
            # a paying provider can run, unless the recipe keeps it: standins.py)
            if job.dest.exists() and not needs_real(job, folder):
                try:
                    info = probe(job.dest)
                    if job is picked:
                        assets.media[job.dest] = info
                        assets.used[job.dest] = f"{s.key}.src"
                    continue
                except ProbeError:
                    pass  # a damaged earlier result is made again
            assets.jobs.append(job)
    to_generate = set(assets.dest)
    for key, path, kind in references(recipe):
        if (
            key.endswith(".src")
            and key.startswith("scenes[")
            and int(key[7 : key.index("]")]) in to_generate
        ):
            continue
        if path in assets.media:
            continue
        if path in assets.pending:  # a still this run makes first
            assets.used.setdefault(path, key)
            continue
        try:
            info = probe(path)
        except ProbeError as exc:
            problems.append(unreadable(path, exc, recipe.file, key))
            continue
        if kind in ("video", "audio") and info.kind == "image":
            problems.append(
                Problem(
                    f"{_as_written(path, folder)!r} is an image, expected {kind}",
                    recipe.file,
                    key,
                    hint="use an image scene for stills",
                )
            )
            continue
        if kind == "audio" and info.kind == "video" and not info.has_audio:
            problems.append(
                Problem(f"{_as_written(path, folder)!r} has no sound", recipe.file, key)
            )
            continue
        assets.media[path] = info
        assets.used[path] = key
    if problems:
        raise RecipeError(recipe.locate(problems))
    return assets


def decode_problems(tl: Timeline, assets: Assets) -> list[Problem]:
    """The end of the part of each clip, [[audio]] track and music file the ad uses decodes
    (media/decode.py): a file cut short (a truncated download or copy) is found here, with
    how much of it there is, not half-way through the render. Files still to be made are
    skipped. Cheap: one seek and one decoded frame a file when the file is whole."""
    recipe, problems = tl.recipe, []
    made = {job.dest for job in assets.jobs} | set(assets.pending)

    def need(key: str, info: MediaInfo | None, kind: str, until: float, who: str) -> None:
        if info is None or info.path in made or until <= 0 or not info.path.is_file():
            return
        short = check_end(info.path, kind, until, promised(info.path, info.duration))
        if short is None:
            return
        problems.append(
            Problem(
                f"{_as_written(info.path, recipe.folder)!r}: only {short.decodes:.2f} s of "
                f"{short.length:.2f} s decodes (the file is cut short: a truncated download or "
                f"copy?), but {who} needs it up to {until:.2f} s",
                recipe.file,
                key,
                hint="copy or export the file again"
                + (
                    f", or use only the part that is there (trim = [0, {short.decodes:.2f}] "
                    "or less)"
                    if key.startswith("scenes")
                    else ""
                ),
            )
        )

    for p in tl.scenes:
        if p.source is not None and p.source.kind == "video" and p.src_out > 0:
            need(f"{p.scene.key}.src", p.source, "video", p.src_out, "the scene")
    ad = tl.duration
    for a in recipe.audio:
        if (info := assets.media.get(a.src)) is not None:
            length = promised(a.src, info.duration)
            need(f"audio[{a.index}].src", info, "audio", min(length, ad - a.start), "the track")
    m = recipe.music
    if m is not None and m.path is not None and (info := assets.media.get(m.path)) is not None:
        length = promised(m.path, info.duration)  # shorter than the ad: repeated whole
        need("music.track", info, "audio", min(length, m.start + ad), "the music")
    return recipe.locate(problems)


def stand_in(job: GenerationJob) -> MediaInfo:
    """What a clip (or still) not generated yet will look like, for planning."""
    if job.makes == "still":
        return MediaInfo(job.dest, "image", job.size[0], job.size[1])
    return MediaInfo(
        job.dest, "video", job.size[0], job.size[1], 24.0, float(job.generate.length), False
    )


def with_sources(recipe: Recipe, assets: Assets) -> Recipe:
    """The recipe with each generated clip's file as its scene's src, and each still's file
    (its planning picture while it is not made yet) wherever its path is read."""
    recipe = with_still_files(recipe, planned_files(assets))
    if not assets.dest:
        return recipe
    scenes = tuple(
        replace(s, src=assets.dest[s.index]) if s.index in assets.dest else s for s in recipe.scenes
    )
    return replace(recipe, scenes=scenes)
