"""`cmforge library list | show | add`: the audio libraries on the command line."""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tomllib
from pathlib import Path
from typing import NoReturn

from .. import atomic
from ..assets.music import LibraryMusic
from ..audio.library import (
    Catalog,
    Track,
    load_catalog,
    read_library,
    search_path,
    shipped_library,
    track_length,
    usable_id,
    user_library,
)
from ..errors import CmforgeError, Problem, RecipeError
from ..media.loudness import measure_file
from ..media.probe import ProbeError, probe
from ..recipe.build import Builder
from ..recipe.load import read_recipe, read_toml
from ..recipe.spec import TOP
from ..recipe.validate import Checker, did_you_mean
from .report import EXIT_INPUT, EXIT_OK
from .table import align

USER_HEADER = "# Your cmforge audio library: `cmforge library add` appends tracks here.\n"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    lib = subparsers.add_parser("library", help="the audio libraries: list, show, add")
    sub = lib.add_subparsers(dest="library_command", required=True)
    ls = sub.add_parser("list", help="every track, from every library on the search path")
    ls.add_argument("--mood", action="append", metavar="M", help="only tracks with this mood")
    ls.add_argument("--min-length", type=float, metavar="S", help="only tracks this long or more")
    ls.add_argument("--recipe", type=Path, help="also the libraries this recipe sees")
    sh = sub.add_parser("show", help="everything about one track")
    sh.add_argument("id", help="the track's id, as in a recipe's track = \"ID\"")
    sh.add_argument("--recipe", type=Path, help="look from this recipe's folder")
    ad = sub.add_parser("add", help="copy an audio file into your own library")
    ad.add_argument("file", type=Path, help="the audio file to copy in (any format FFmpeg reads)")
    ad.add_argument("--id", required=True, help='the name recipes use: track = "ID"')
    ad.add_argument("--title", required=True, help="the track's title, for the credits")
    ad.add_argument("--artist", required=True, help="who made it, for the credits")
    ad.add_argument("--license", required=True, help="e.g. CC-BY-4.0, CC0-1.0, a shop's licence")
    ad.add_argument("--attribution", default="", help="the credit text for video descriptions")
    ad.add_argument("--mood", action="append", default=[], metavar="M", help="repeatable")
    ad.add_argument("--bpm", type=float, metavar="N", help="its tempo, beats a minute")
    lib.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        return {"list": cmd_list, "show": cmd_show, "add": cmd_add}[args.library_command](args)
    except RecipeError as e:
        n = len(e.problems)
        print(f"cmforge library: {n} problem{'s' if n != 1 else ''}:", file=sys.stderr)
        for p in e.problems:
            text = str(p) if p.file else p.message + (f"\n    hint: {p.hint}" if p.hint else "")
            print(f"  {text}", file=sys.stderr)
        return EXIT_INPUT


def _catalog(recipe: Path | None) -> Catalog:
    """The libraries on the search path; with a recipe, also its [library] paths and folder."""
    if recipe is None:
        return load_catalog(search_path(None))
    source = read_recipe(recipe)
    check = Checker(source)
    check.value(source.data.get("library", {}), TOP["library"], "library")
    builder = Builder(source, check, None)
    paths = [] if check.problems else LibraryMusic().library_paths(builder, source.data)
    if check.problems:
        raise RecipeError(check.problems)
    return load_catalog(search_path(source.folder.resolve(), paths))


def _length(t: Track) -> float | None:
    try:
        return track_length(t)
    except ProbeError:
        return None


def cmd_list(args: argparse.Namespace) -> int:
    catalog = _catalog(args.recipe)
    wanted = {m.strip().lower() for m in args.mood or []}
    rows = [["id", "title", "artist", "length", "bpm", "moods", "license", "library"]]
    for t in sorted(catalog.tracks().values(), key=lambda t: t.id):
        seconds = _length(t)
        if wanted and not wanted & set(t.moods):
            continue
        if args.min_length is not None and (seconds is None or seconds < args.min_length):
            continue
        rows.append(
            [
                t.id,
                t.title,
                t.artist,
                f"{seconds:.1f} s" if seconds is not None else "?",
                f"{t.bpm:g}" if t.bpm else "-",
                ", ".join(t.moods) or "-",
                t.license or "(none)",
                t.origin,
            ]
        )
    if len(rows) == 1:
        print("no tracks" + (" match" if wanted or args.min_length is not None else ""))
    else:
        print("\n".join(align(rows)))
    searched = "; ".join(f"{lib.origin}: {lib.toml}" for lib in catalog.libraries)
    print(f"libraries, first wins: {searched or '(none)'}", file=sys.stderr)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    catalog = _catalog(args.recipe)
    t = catalog.find(args.id)
    if t is None:
        ids = sorted(catalog.tracks())
        raise RecipeError(
            [
                Problem(
                    f"no track {args.id!r} in the audio libraries",
                    hint=did_you_mean(args.id, ids) or f"known ids: {', '.join(ids) or '(none)'}",
                )
            ]
        )
    seconds = _length(t)
    how = "from library.toml" if t.duration is not None else "probed"
    length = f"{seconds:.2f} s ({how})" if seconds is not None else "unknown (not decodable?)"
    loud = f"{t.loudness:.1f} LUFS integrated" if t.loudness is not None else "not measured"
    fields = [
        ("id", t.id),
        ("title", t.title),
        ("artist", t.artist),
        ("license", t.license or "(none: refused unless --allow-unlicensed)"),
        ("attribution", t.attribution),
        ("moods", ", ".join(t.moods)),
        ("bpm", f"{t.bpm:g}" if t.bpm else ""),
        ("length", length),
        ("loudness", loud),
        ("file", str(t.path)),
        ("library", f"{t.origin} ({t.library})"),
    ]
    fields += [("shadows", f"{c.origin} ({c.library})") for c in catalog.copies(t.id)[1:]]
    for name, value in fields:
        print(f"{name + ':':<13}" + value.replace("\n", "\n" + " " * 13))
    return EXIT_OK


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _number(x: float) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def track_block(values: dict) -> str:
    """One [[tracks]] table as TOML text; values are str, list of str or numbers."""
    lines = ["[[tracks]]"]
    for key, value in values.items():
        if isinstance(value, str):
            text = toml_string(value)
        elif isinstance(value, list):
            text = "[" + ", ".join(toml_string(v) for v in value) + "]"
        else:
            text = _number(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def _refuse(
    message: str, file: Path | None = None, key: str = "", line: int | None = None, hint: str = ""
) -> NoReturn:
    raise RecipeError([Problem(message, file, key, line, None, hint)])


def cmd_add(args: argparse.Namespace) -> int:
    src: Path = args.file
    for name in ("id", "title", "artist", "license", "attribution"):
        try:
            getattr(args, name).encode("utf-8")
        except UnicodeEncodeError:
            _refuse(f"--{name} is not valid text (not UTF-8)")
    if not usable_id(args.id):
        _refuse(f"--id {args.id!r} is not a usable id", hint="e.g. --id bright-steps (no / or \\)")
    if not args.license.strip():
        _refuse(
            "--license is empty",
            hint="name the licence the track is under, e.g. CC-BY-4.0, CC0-1.0, "
            "or the terms of the library you got it from",
        )
    folder = user_library()
    toml = folder / "library.toml"
    if toml.is_file():
        for t in read_library(toml, "user").tracks:  # a broken library.toml is refused too
            if t.id == args.id:
                _refuse(
                    f"the user library already has a track {args.id!r}",
                    toml,
                    f"{t.key}.id",
                    read_toml(toml, "library").lines.line_of(f"{t.key}.id") or t.line,
                    "choose another --id, or edit that track in library.toml",
                )
    seconds, lufs = _check_audio(src)
    shadowed = _shadowed(args.id)
    name = _free_name(folder, src.name)
    values: dict = {"id": args.id, "file": name, "title": args.title, "artist": args.artist}
    values["license"] = args.license
    if args.attribution:
        values["attribution"] = args.attribution
    moods = [m.strip().lower() for m in args.mood if m.strip()]
    if moods:
        values["moods"] = moods
    if args.bpm is not None:
        if not args.bpm > 0:
            _refuse(f"--bpm must be greater than 0, got {args.bpm:g}")
        values["bpm"] = round(args.bpm, 3)
    values["duration"] = round(seconds, 3)
    if math.isfinite(lufs):
        values["loudness"] = round(lufs, 2)
    old = toml.read_text(encoding="utf-8-sig") if toml.is_file() else USER_HEADER
    new = old + ("" if old.endswith("\n") else "\n") + "\n" + track_block(values)
    _verify(new, values, toml)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, folder / name)
    try:
        atomic.write_text(toml, new)
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise
    print(f"added {args.id!r}: {seconds:.1f} s, {lufs:.1f} LUFS, to {toml}")
    if shadowed:
        print(
            f"note: {args.id!r} is also an id in {shadowed}; the user library comes first, so "
            f"recipes that name {args.id!r} now get this track",
            file=sys.stderr,
        )
    return EXIT_OK


def _shadowed(tid: str) -> Path | None:
    """The shipped library.toml, if it has this id too (it is searched after the user's)."""
    toml = shipped_library() / "library.toml"
    try:
        return toml if any(t.id == tid for t in read_library(toml, "shipped").tracks) else None
    except RecipeError:
        return None


def _check_audio(src: Path) -> tuple[float, float]:
    """(length, integrated loudness) of a decodable audio file; refuses anything else."""
    if not src.is_file():
        _refuse("no such file", src)
    try:
        info = probe(src)
    except ProbeError as exc:
        _refuse(f"not decodable audio: {exc}", src)
    if not info.has_audio or info.duration <= 0:
        _refuse("not decodable audio: no audio stream with a length", src)
    try:
        lufs = measure_file(src).integrated
    except CmforgeError as exc:
        _refuse(f"not decodable audio: {str(exc).splitlines()[0]}", src)
    return info.duration, lufs


def _free_name(folder: Path, name: str) -> str:
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while (folder / name).exists():
        n += 1
        name = f"{stem}-{n}{suffix}"
    return name


def _verify(text: str, values: dict, toml: Path) -> None:
    """The new library.toml must parse and end with exactly the track written."""
    try:
        last = tomllib.loads(text).get("tracks", [None])[-1]
    except (tomllib.TOMLDecodeError, AttributeError, TypeError):
        last = None
    if last != values:
        _refuse(
            "cannot append a [[tracks]] table to this library.toml",
            toml,
            hint="write its tracks as [[tracks]] tables, then try again",
        )
