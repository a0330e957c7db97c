"""Audio libraries: folders with a library.toml listing tracks; lookup by id."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


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
    duration: float | None = None
    library: Path | None = None

    def info(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "artist": self.artist,
            "license": self.license,
            "attribution": self.attribution,
            "library": str(self.library) if self.library else None,
        }


def user_library() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "cmforge" / "library"


def shipped_library() -> Path:
    return Path(str(resources.files("cmforge") / "data" / "library"))


def search_path(recipe_folder: Path) -> list[Path]:
    """Library folders in the contract's order ([library] paths come with the sound issue)."""
    folders = [recipe_folder / "library", recipe_folder]
    env = os.environ.get("CMFORGE_LIBRARY")
    if env:
        folders.append(Path(env))
    folders += [user_library(), shipped_library()]
    return [f for f in folders if (f / "library.toml").is_file()]


def read_library(folder: Path) -> list[Track]:
    toml_path = folder / "library.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []  # a malformed library gets full diagnostics with the sound issue
    tracks = []
    for t in data.get("tracks", []):
        if not isinstance(t, dict) or "id" not in t or "file" not in t:
            continue
        tracks.append(
            Track(
                id=str(t["id"]),
                path=(folder / str(t["file"])).resolve(),
                title=str(t.get("title", "")),
                artist=str(t.get("artist", "")),
                license=str(t.get("license", "")),
                attribution=str(t.get("attribution", "")),
                moods=tuple(t.get("moods", ())),
                bpm=t.get("bpm"),
                duration=t.get("duration"),
                library=toml_path,
            )
        )
    return tracks


def all_tracks(recipe_folder: Path) -> dict[str, Track]:
    found: dict[str, Track] = {}
    for folder in search_path(recipe_folder):
        for track in read_library(folder):
            found.setdefault(track.id, track)
    return found
