"""Audio libraries: folders with a library.toml listing tracks; lookup by id or by mood.

library.toml is checked like a recipe (the recipe loader's TOML line map and key checker):
every problem has the file, the key (`tracks[2].file`), the line and a hint."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import Problem, RecipeError, shown_path
from ..media.probe import ProbeError, probe
from ..recipe.load import Source, read_toml
from ..recipe.spec import F
from ..recipe.validate import Checker

TRACK_FIELDS = {
    "id": F("str", 'the name a recipe uses: [music] track = "..."', required=True),
    "file": F("path", "the audio file, relative to this library.toml", required=True),
    "title": F("str", "the track's title"),
    "artist": F("str", "who made it"),
    "license": F("str", "the licence (e.g. CC-BY-4.0); without one a track is refused"),
    "attribution": F("str", "the credit text to paste into a video description"),
    "moods": F("strlist", "moods for [music] mood = [...]"),
    "bpm": F("number", "tempo", positive=True),
    "duration": F("number", "length in seconds (default: probed)", positive=True),
    "loudness": F("number", "integrated loudness, LUFS (written by `cmforge library add`)"),
}
LIBRARY_FIELDS = {"tracks": F("tables", "the tracks", fields=TRACK_FIELDS)}
LOOSE = 1e-3  # seconds: a track this much shorter than the ad still counts as long enough


@dataclass(frozen=True)
class Track:
    id: str
    path: Path
    title: str = ""
    artist: str = ""
    license: str = ""
    attribution: str = ""
    moods: tuple[str, ...] = ()
    bpm: float | None = None
    duration: float | None = None  # as written in library.toml; see track_length()
    library: Path | None = None  # the library.toml
    loudness: float | None = None  # integrated LUFS, if library.toml records it
    origin: str = ""  # which level of the search order: user, shipped, CMFORGE_LIBRARY, ...
    index: int = field(default=0, compare=False)  # its place in library.toml's [[tracks]]
    line: int | None = field(default=None, compare=False)  # the line of its `file` key

    def info(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "artist": self.artist,
            "license": self.license,
            "attribution": self.attribution,
            "library": str(self.library) if self.library else None,
        }

    @property
    def key(self) -> str:
        return f"tracks[{self.index}]"

    def problem(self, message: str, hint: str = "") -> Problem:
        """A problem with this track, located in its library.toml."""
        return Problem(message, self.library, f"{self.key}.file", self.line, None, hint)


@dataclass(frozen=True)
class Library:
    toml: Path
    origin: str
    tracks: tuple[Track, ...]


@dataclass(frozen=True)
class Catalog:
    """Every library on the search path, in order: the first library with an id wins."""

    libraries: tuple[Library, ...]

    def tracks(self) -> dict[str, Track]:
        found: dict[str, Track] = {}
        for lib in self.libraries:
            for t in lib.tracks:
                found.setdefault(t.id, t)
        return found

    def find(self, track_id: str) -> Track | None:
        return self.tracks().get(track_id)

    def copies(self, track_id: str) -> list[Track]:
        """Every library's track with this id, the winner first."""
        return [t for lib in self.libraries for t in lib.tracks if t.id == track_id]

    def moods(self) -> list[str]:
        return sorted({m for t in self.tracks().values() for m in t.moods})


def user_library() -> Path:
    """The user's own library: $XDG_DATA_HOME/cmforge/library, else the platform data folder."""
    base = os.environ.get("XDG_DATA_HOME")
    if not base:
        home = Path.home()
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = str(home / "Library" / "Application Support")
        else:
            base = str(home / ".local" / "share")
    return Path(base) / "cmforge" / "library"


def shipped_library() -> Path:
    return Path(str(resources.files("cmforge") / "data" / "library"))


def library_toml(path: Path) -> Path | None:
    """The library.toml of a folder, or the file itself when it is a .toml file."""
    if path.is_file() and path.suffix.lower() == ".toml":
        return path
    toml = path / "library.toml"
    return toml if toml.is_file() else None


def search_path(recipe_folder: Path | None, paths: Sequence[Path] = ()) -> list[tuple[str, Path]]:
    """(origin, library.toml) in the contract's order, existing files only, each once:
    the recipe's [library] paths, library/ or library.toml beside the recipe,
    $CMFORGE_LIBRARY, the user's library, the samples shipped with cmforge."""
    places: list[tuple[str, Path]] = [("[library] paths", p) for p in paths]
    if recipe_folder is not None:
        places += [
            ("beside the recipe", recipe_folder / "library"),
            ("beside the recipe", recipe_folder),
        ]
    env = os.environ.get("CMFORGE_LIBRARY")
    if env:
        places.append(("CMFORGE_LIBRARY", Path(env).expanduser()))
    places += [("user", user_library()), ("shipped", shipped_library())]
    out, seen = [], set()
    for origin, place in places:
        toml = library_toml(place)
        if toml is not None and toml.resolve() not in seen:
            seen.add(toml.resolve())
            out.append((origin, toml.resolve()))
    return out


def read_library(toml: Path, origin: str = "") -> Library:
    """Read and check one library.toml; RecipeError lists every problem in it."""
    source = read_toml(toml, "audio library")
    check = Checker(source)
    check.table(source.data, LIBRARY_FIELDS, "")
    raw = source.data.get("tracks", [])
    if not isinstance(raw, list):
        raise RecipeError(check.problems)
    tracks, first_line = [], {}
    for i, t in enumerate(raw):
        if not isinstance(t, dict):
            continue
        tid = t.get("id")
        if isinstance(tid, str) and tid in first_line:
            check.add(
                f"tracks[{i}].id",
                f"two tracks have the id {tid!r}",
                f"the first is at line {first_line[tid]}; give each track its own id",
            )
            continue
        if isinstance(tid, str):
            first_line[tid] = source.lines.line_of(f"tracks[{i}].id")
        track = _track(source, check, i, t, origin)
        if track is not None:
            tracks.append(track)
    if check.problems:
        raise RecipeError(check.problems)
    return Library(toml, origin, tuple(tracks))


def _track(source: Source, check: Checker, i: int, t: dict, origin: str) -> Track | None:
    key = f"tracks[{i}]"
    tid, file = t.get("id"), t.get("file")
    if not isinstance(tid, str) or not isinstance(file, str):
        return None  # the checker has said why
    if not usable_id(tid):
        check.add(
            f"{key}.id",
            f"{tid!r} is not a usable id",
            "an id is a name without / or \\ and without spaces around it, e.g. bright-steps",
        )
        return None
    path = (source.folder / Path(file).expanduser()).resolve()
    if not path.is_file():
        check.add(
            f"{key}.file",
            f"no such file: {shown_path(path)}",
            "file is relative to the folder of this library.toml",
        )
        return None
    ok = not any(p.key.startswith(key + ".") for p in check.problems)
    if not ok:
        return None

    def num(name: str) -> float | None:
        return float(t[name]) if name in t else None

    return Track(
        id=tid,
        path=path,
        title=t.get("title", ""),
        artist=t.get("artist", ""),
        license=t.get("license", ""),
        attribution=t.get("attribution", ""),
        moods=tuple(m.strip().lower() for m in t.get("moods", ()) if m.strip()),
        bpm=num("bpm"),
        duration=num("duration"),
        library=source.path.resolve(),
        loudness=num("loudness"),
        origin=origin,
        index=i,
        line=source.lines.line_of(f"{key}.file"),
    )


def usable_id(tid: str) -> bool:
    """An id is a name a recipe can write as track = "...": no / or \\, no spaces around it."""
    return bool(tid.strip()) and tid == tid.strip() and "/" not in tid and "\\" not in tid


def load_catalog(places: Iterable[tuple[str, Path]]) -> Catalog:
    """Read every library on the search path; RecipeError lists the problems of all of them."""
    libraries, problems = [], []
    for origin, toml in places:
        try:
            libraries.append(read_library(toml, origin))
        except RecipeError as e:
            problems += e.problems
    if problems:
        raise RecipeError(problems)
    return Catalog(tuple(libraries))


def track_length(track: Track) -> float:
    """Seconds: library.toml's duration, else probed (once per file version)."""
    if track.duration is not None:
        return track.duration
    info = probe(track.path)
    if not info.has_audio or info.duration <= 0:
        raise ProbeError("no audio with a duration")
    return info.duration


@dataclass
class MoodPick:
    """The outcome of picking by mood: a track and why, or the near misses."""

    moods: tuple[str, ...]
    need: float  # seconds of music the ad needs after start
    start: float
    track: Track | None = None
    why: str = ""
    too_short: list[tuple[Track, float]] = field(default_factory=list)  # matching moods
    other_moods: list[tuple[Track, float]] = field(default_factory=list)  # long enough
    unlicensed: list[Track] = field(default_factory=list)  # would fit but have no licence
    known_moods: list[str] = field(default_factory=list)


def pick_by_mood(
    tracks: Iterable[Track],
    moods: Sequence[str],
    need: float,
    start: float = 0.0,
    *,
    length: Callable[[Track], float | None] = track_length,
    allow_unlicensed: bool = False,
) -> MoodPick:
    """The best track for the moods that plays `need` seconds from `start` without looping:
    most requested moods matched, then the shortest such track (least cut), then the id.
    Unlicensed tracks are left out unless allowed. `length` returns None for an unreadable
    track, which is then left out."""
    wanted = tuple(dict.fromkeys(m.strip().lower() for m in moods if m.strip()))
    tracks = sorted(tracks, key=lambda t: t.id)
    result = MoodPick(wanted, need, start, known_moods=sorted({m for t in tracks for m in t.moods}))
    fits: list[tuple[int, float, str, Track]] = []
    for t in tracks:
        matched = len(set(wanted) & set(t.moods))
        seconds = length(t) if matched else None
        if seconds is None:
            continue
        if seconds - start < need - LOOSE:
            result.too_short.append((t, seconds))
        elif not t.license.strip() and not allow_unlicensed:
            result.unlicensed.append(t)
        else:
            fits.append((-matched, seconds, t.id, t))
    if not fits:  # the near misses with other moods (their lengths are needed only now)
        for t in tracks:
            seconds = None if set(wanted) & set(t.moods) else length(t)
            if seconds is not None and seconds - start >= need - LOOSE:
                result.other_moods.append((t, seconds))
        return result
    fits.sort(key=lambda f: f[:3])
    best_matched, seconds, _, best = fits[0]
    got = [m for m in wanted if m in best.moods]
    ties = [f[3].id for f in fits[1:] if f[:2] == fits[0][:2]]
    others = [f[3].id for f in fits[1:] if f[3].id not in ties]
    result.track = best
    result.why = (
        f"picked {best.id!r}{_title(best)} for mood {', '.join(wanted)}: it matches "
        f"{-best_matched} of {len(wanted)} ({', '.join(got)}) and at {seconds:.1f} s is the "
        f"shortest such track that covers the {need:.1f} s ad"
        + (f" from {start:g} s" if start else "")
        + " without looping"
        + (f" (as long as {_ids(ties)}: first by id)" if ties else "")
        + (f"; also long enough: {_ids(others)}" if others else "")
        + f"; library: {best.library} ({best.origin})"
    )
    return result


def _ids(ids: list[str], most: int = 4) -> str:
    more = f" and {len(ids) - most} more" if len(ids) > most else ""
    return ", ".join(repr(i) for i in ids[:most]) + more


def _title(t: Track) -> str:
    if t.title and t.artist:
        return f" ({t.title} by {t.artist})"
    return f" ({t.title or t.artist})" if t.title or t.artist else ""


def describe_misses(pick: MoodPick, most: int = 6) -> str:
    """The near misses of a failed pick, for the error message."""

    def items(pairs: list[tuple[Track, float]], moods: bool) -> str:
        text = [
            f"{t.id} ({s:.1f} s{': ' + ', '.join(t.moods) if moods and t.moods else ''})"
            for t, s in sorted(pairs, key=lambda p: (-p[1], p[0].id))[:most]
        ]
        more = len(pairs) - most
        return ", ".join(text) + (f" and {more} more" if more > 0 else "")

    parts = []
    if pick.too_short:
        parts.append("matching but too short: " + items(pick.too_short, False))
    if pick.unlicensed:
        names = ", ".join(f"{t.id} ({t.library})" for t in pick.unlicensed[:most])
        parts.append(f"matching but without a licence: {names}")
    if pick.other_moods:
        parts.append("long enough but other moods: " + items(pick.other_moods, True))
    parts.append("known moods: " + (", ".join(pick.known_moods) or "(none)"))
    return "; ".join(parts)
