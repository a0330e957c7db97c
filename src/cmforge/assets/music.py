"""The music's file: a file given by path, a library id, or the best library track for a mood.
This is the assets stage's part of loading a recipe (the recipe stage reads no library and
probes no media); problems go to the recipe builder, so each is located and attributed to the
variants that have it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..audio.library import (
    Catalog,
    Track,
    describe_misses,
    library_toml,
    load_catalog,
    pick_by_mood,
    search_path,
    track_length,
)
from ..errors import RecipeError
from ..media.probe import ProbeError, probe
from ..recipe.build import Builder
from ..recipe.model import Scene
from ..recipe.validate import did_you_mean

NO_LICENCE = "licence not recorded (file given by path)"
Found = tuple[str, Path, dict, str]  # track, file, licence info, why


class LibraryMusic:
    """Finds music in the audio libraries on the search path (each read once per load)."""

    def __init__(self, allow_unlicensed: bool = False):
        self.allow_unlicensed = allow_unlicensed
        self._catalogs: dict[tuple, Catalog | None] = {}

    def check_paths(self, b: Builder, data: dict) -> None:
        self.library_paths(b, data)

    def find(self, b: Builder, m: dict, data: dict, scenes: tuple[Scene, ...]) -> Found | None:
        """(track, file, licence info, why) of the music: a file, a library id or a mood pick."""
        if "mood" in m:
            return self.mood_track(b, m, data, scenes)
        track = m["track"]
        path = b.path(track)
        if path.is_file() or "/" in track or "\\" in track:
            return track, path, _by_path(track), f"the file {path}; {NO_LICENCE}"
        catalog = self.catalog(b, data)
        if catalog is None:
            return None
        t = catalog.find(track)
        if t is None:
            if Path(track).suffix:  # a file name: the media check says it is missing
                return track, path, _by_path(track), f"the file {path}; {NO_LICENCE}"
            ids = sorted(catalog.tracks())
            b.add(
                "music.track",
                f"no track {track!r} in the audio libraries",
                did_you_mean(track, ids) or f"known ids: {', '.join(ids) or '(none)'}",
            )
            return None
        if not self.licensed(b, t, "music.track"):
            return None
        why = f"track {t.id!r}{_credit(t)} named by id; library: {t.library} ({t.origin})"
        return t.id, t.path, self.track_info(t), why

    def mood_track(
        self, b: Builder, m: dict, data: dict, scenes: tuple[Scene, ...]
    ) -> Found | None:
        catalog = self.catalog(b, data)
        if catalog is None:
            return None
        need = ad_seconds(scenes, data.get("output", {}).get("duration"))

        def length(t: Track) -> float | None:
            try:
                return track_length(t)
            except ProbeError as exc:
                b.problem(t.problem(f"not decodable audio: {exc}", "replace or remove the track"))
                return None

        pick = pick_by_mood(
            catalog.tracks().values(),
            m["mood"],
            need,
            float(m.get("start", 0.0)),
            length=length,
            allow_unlicensed=self.allow_unlicensed,
        )
        if pick.track is None:
            start = f" from start = {pick.start:g} s" if pick.start else ""
            b.add(
                "music.mood",
                f"no library track with mood {', '.join(pick.moods)}"
                + (" has a license and" if pick.unlicensed else "")
                + f" lasts the {need:.1f} s the ad needs{start}; {describe_misses(pick)}",
                'name a track with track = "..." instead (music shorter than the ad loops '
                "with a crossfade)",
            )
            return None
        t = pick.track
        return t.id, t.path, self.track_info(t), pick.why

    def licensed(self, b: Builder, t: Track, key: str) -> bool:
        if t.license.strip() or self.allow_unlicensed:
            return True
        b.add(
            key,
            f"track {t.id!r} has no license in {t.library} (line {t.line})",
            'add license = "..." to it there, or pass --allow-unlicensed to use it anyway',
        )
        return False

    def track_info(self, t: Track) -> dict:
        info = t.info()
        if not t.license.strip():
            info["license_note"] = "no licence in the library; used with --allow-unlicensed"
        return info

    def library_paths(self, b: Builder, data: dict) -> list[Path]:
        """The recipe's [library] paths that hold a library.toml; the others are problems."""
        found = []
        for i, p in enumerate(data.get("library", {}).get("paths", [])):
            place = b.path(p)
            if library_toml(place) is not None:
                found.append(place)
                continue
            b.add(
                f"library.paths[{i}]",
                f"no library.toml in {p!r}" if place.is_dir() else f"no such folder: {p!r}",
                "a path is a folder with a library.toml (or the .toml file itself), "
                "relative to the recipe",
            )
        return found

    def catalog(self, b: Builder, data: dict) -> Catalog | None:
        """Every library on the search path (read once); None when one of them is broken."""
        paths = tuple(self.library_paths(b, data))
        if paths not in self._catalogs:
            try:
                self._catalogs[paths] = load_catalog(search_path(b.folder, paths))
            except RecipeError as e:
                for p in e.problems:
                    b.problem(p)
                self._catalogs[paths] = None
        return self._catalogs[paths]


def _by_path(track: str) -> dict:
    return {"id": None, "file": track, "license": None, "license_note": NO_LICENCE}


def _credit(t: Track) -> str:
    who = " by ".join(x for x in (t.title, t.artist) if x)
    return f" ({who})" if who else ""


def ad_seconds(scenes: tuple[Scene, ...], duration: Any) -> float:
    """The ad's length as far as loading can tell: output.duration, else the scenes' lengths
    minus the transitions' overlaps. A scene without duration counts what its probed source
    gives it (a clip: after trim and speed), or the length it will be generated at; an
    unreadable one counts 0."""
    if duration:
        return float(duration)
    total = 0.0
    for s in scenes:
        total += (s.duration or _source_seconds(s)) - s.transition.duration
    return max(0.0, total)


def _source_seconds(s: Scene) -> float:
    """Seconds a scene without a duration lasts: what its source gives it (its kind says how)."""
    length = None
    if s.src is not None and s.src.is_file():
        try:
            length = probe(s.src).duration
        except ProbeError:
            pass
    if length is None and s.generate is not None:
        length = float(s.generate.length)
    if length is None:
        return 0.0
    return s.seconds_from_source(length)
