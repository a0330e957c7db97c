"""Raw variant dict -> frozen Recipe, with the semantic checks that need values."""

from __future__ import annotations

import copy
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
from ..errors import Problem, RecipeError
from ..media.probe import ProbeError, probe
from ..units import FORMATS, even, parse_color, parse_fps
from .load import Source
from .model import (
    AudioTrack,
    Background,
    Caption,
    Duck,
    Generate,
    Music,
    Output,
    Overlay,
    Recipe,
    Scene,
    Stroke,
    Style,
    Transition,
)
from .spec import GENERATE_SHARED
from .validate import LOUDNESS_PRESETS, Checker, did_you_mean

DEFAULT_XFADE = 0.5
IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


def _style(base: Style, data: dict) -> Style:
    stroke = base.stroke
    if "stroke" in data:
        s = data["stroke"]
        stroke = Stroke(
            parse_color(s["color"]) if "color" in s else stroke.color,
            float(s.get("width", stroke.width if stroke.width else 4)),
        )
    return Style(
        font=data.get("font", base.font),
        weight=data.get("weight", base.weight),
        color=parse_color(data["color"]) if "color" in data else base.color,
        size=float(data["size"]) if "size" in data else base.size,
        stroke=stroke,
        shadow=bool(data.get("shadow", base.shadow)),
    )


def _transition(value: Any) -> Transition:
    if value is None:
        return Transition()
    if isinstance(value, str):
        value = {"type": value}
    kind = value.get("type", "cut")
    dur = float(value.get("duration", 0.0 if kind == "cut" else DEFAULT_XFADE))
    return Transition(kind, 0.0 if kind == "cut" else dur)


def _loudness(value: object) -> tuple[float | None, str]:
    if value is None:
        return None, ""
    if isinstance(value, str):
        return LOUDNESS_PRESETS[value], value
    return float(value), ""


def _duck(value: object) -> Duck | None:
    if isinstance(value, dict):
        d = Duck(
            float(value.get("depth", -10)),
            float(value.get("attack", 0.05)),
            float(value.get("release", 0.4)),
        )
    elif isinstance(value, (int, float)):
        d = Duck(float(value))
    else:
        return None
    return d if d.depth < 0 else None


class Builder:
    def __init__(
        self,
        source: Source,
        check: Checker,
        out_dir: Path | None,
        allow_unlicensed: bool = False,
    ):
        self.source, self.check, self.out_dir = source, check, out_dir
        self.folder = source.folder.resolve()
        self.allow_unlicensed = allow_unlicensed
        self._catalogs: dict[tuple, Catalog | None] = {}

    def path(self, value: str) -> Path:
        return (self.folder / Path(value).expanduser()).resolve()

    def background(self, value: Any, key: str, default: str) -> Background:
        value = value if value is not None else default
        items = [value] if isinstance(value, str) else list(value)
        if len(items) == 1 and Path(items[0]).suffix.lower() in IMAGE_EXT:
            return Background(image=self.path(items[0]))
        colors = []
        for item in items:
            try:
                colors.append(parse_color(item))
            except ValueError:
                self.check.add(
                    key,
                    f"not a colour or image: {item!r}",
                    'use "#rrggbb", ["#top", "#bottom"] or an image file',
                )
                colors.append((0, 0, 0, 255))
        return Background(colors=tuple(colors))

    def output(self, data: dict, variant: str) -> Output:
        if "size" in data:
            w, h = (even(v) for v in data["size"])
        else:
            w, h = FORMATS[data.get("format", "vertical")]
        raw_path = data.get("path", "out/{{variant}}.mp4").replace("{{variant}}", variant)
        if self.out_dir is not None:
            path = (self.out_dir / Path(raw_path).name).resolve()
        else:
            path = self.path(raw_path)
            if not path.is_relative_to(self.folder):
                self.check.add(
                    "output.path",
                    f"{raw_path!r} is outside the recipe's folder",
                    "a recipe only writes inside its own folder; use --output DIR "
                    "on the command line to write elsewhere",
                )
        if path.suffix.lower() not in (".mp4", ".m4v", ".mov"):
            self.check.add("output.path", f"{raw_path!r}: the output must be .mp4, .m4v or .mov")
        dur = data.get("duration")
        return Output(
            path,
            w,
            h,
            parse_fps(data.get("fps", 30)),
            float(dur) if dur else None,
            int(data.get("crf", 20)),
            str(data.get("preset", "medium")),
            *_loudness(data.get("loudness")),
        )

    def scene(self, i: int, d: dict, defaults: dict, style: Style) -> Scene:
        kind = d["type"]
        key = f"scenes[{i}]"
        trans = _transition(d.get("transition", defaults.get("transition")) if i else None)
        common: dict[str, Any] = dict(
            index=i,
            type=kind,
            duration=d.get("duration"),
            transition=trans,
            flex=bool(d.get("flex", False)),
            name=d.get("name", ""),
        )
        if kind in ("title", "image", "endslate") and common["duration"] is None:
            common["duration"] = 3.0
        if kind == "title":
            return Scene(
                **common,
                text=d.get("text", ""),
                subtext=d.get("subtext", ""),
                background=self.background(d.get("background"), f"{key}.background", "#000000"),
                style=_style(style, d),
                align=d.get("align", "center"),
            )
        if kind == "endslate":
            st = _style(style, {**d, "color": d.get("color", "#1d3557")})
            st = Style(st.font, st.weight, st.color, st.size, Stroke(st.stroke.color, 0), False)
            return Scene(
                **common,
                text=d.get("text", ""),
                subtext=d.get("subtext", ""),
                background=self.background(d.get("background"), f"{key}.background", "#ffffff"),
                style=st,
                logo=self.path(d["logo"]) if "logo" in d else None,
            )
        fit = d.get("fit", defaults.get("fit", "cover"))
        if kind == "image":
            return Scene(
                **common,
                src=self.path(d["src"]),
                fit=fit,
                motion=d.get("motion", defaults.get("image_motion", "none")),
            )
        gen = self.generate(d["generate"], key) if "generate" in d else None
        if "src" not in d and gen is None:
            self.check.add(f"{key}.src", "a clip needs src (or [scenes.generate] to make it)")
        trim = tuple(float(t) for t in d["trim"]) if "trim" in d else None
        if trim and not 0 <= trim[0] < trim[1]:
            self.check.add(
                f"{key}.trim", f"trim must be [in, out] with 0 <= in < out, got {list(trim)}"
            )
        return Scene(
            **common,
            src=self.path(d["src"]) if "src" in d else None,
            trim=trim,
            fit=fit,
            volume=float(d.get("volume", 1.0)),
            speed=float(d.get("speed", 1.0)),
            generate=gen,
        )

    def generate(self, g: dict, key: str) -> Generate:
        takes, pick = int(g.get("takes", 1)), int(g.get("pick", 1))
        if pick > takes:
            self.check.add(
                f"{key}.generate.pick",
                f"pick = {pick} but only {takes} take(s)",
                "pick a take from 1 to takes",
            )
        return Generate(
            provider=g.get("provider"),
            image=self.path(g["image"]) if "image" in g else None,
            image_tail=self.path(g["image_tail"]) if "image_tail" in g else None,
            prompt=g.get("prompt", ""),
            negative_prompt=g.get("negative_prompt", ""),
            length=int(g.get("length", 5)),
            aspect_ratio=g.get("aspect_ratio"),
            takes=takes,
            pick=min(pick, takes),
            options={k: v for k, v in g.items() if k not in GENERATE_SHARED},
        )

    def music(self, m: dict, data: dict, scenes: tuple[Scene, ...]) -> Music | None:
        found = self.music_source(m, data, scenes)
        if found is None:
            return None
        track, path, info, why = found
        return Music(
            track,
            path,
            float(m.get("start", 0.0)),
            float(m.get("volume", 0.0)),
            float(m.get("fade_in", 0.0)),
            float(m.get("fade_out", 1.0)),
            info,
            _duck(m.get("duck")),
            why=why,
        )

    def music_source(
        self, m: dict, data: dict, scenes: tuple[Scene, ...]
    ) -> tuple[str, Path, dict, str] | None:
        """(track, file, licence info, why) of the music: a file, a library id or a mood pick."""
        if "track" in m and "mood" in m:
            self.add("music.mood", "give track or mood, not both", "remove one of them")
            return None
        if "mood" in m:
            return self.mood_track(m, data, scenes)
        if "track" not in m:
            self.add("music.track", "is required (a library id, an audio file, or mood = [...])")
            return None
        track = m["track"]
        path = self.path(track)
        if path.is_file() or "/" in track or "\\" in track:
            return track, path, _by_path(track), f"the file {path}; {NO_LICENCE}"
        catalog = self.catalog(data)
        if catalog is None:
            return None
        t = catalog.find(track)
        if t is None:
            if Path(track).suffix:  # a file name: the media check says it is missing
                return track, path, _by_path(track), f"the file {path}; {NO_LICENCE}"
            ids = sorted(catalog.tracks())
            self.add(
                "music.track",
                f"no track {track!r} in the audio libraries",
                did_you_mean(track, ids) or f"known ids: {', '.join(ids) or '(none)'}",
            )
            return None
        if not self.licensed(t, "music.track"):
            return None
        why = f"track {t.id!r}{_credit(t)} named by id; library: {t.library} ({t.origin})"
        return t.id, t.path, self.track_info(t), why

    def mood_track(
        self, m: dict, data: dict, scenes: tuple[Scene, ...]
    ) -> tuple[str, Path, dict, str] | None:
        if not any(mood.strip() for mood in m["mood"]):
            self.add("music.mood", "names no mood", 'e.g. mood = ["upbeat"]')
            return None
        catalog = self.catalog(data)
        if catalog is None:
            return None
        need = ad_seconds(scenes, data.get("output", {}).get("duration"))
        pick = pick_by_mood(
            catalog.tracks().values(),
            m["mood"],
            need,
            float(m.get("start", 0.0)),
            length=self.track_length,
            allow_unlicensed=self.allow_unlicensed,
        )
        if pick.track is None:
            start = f" from start = {pick.start:g} s" if pick.start else ""
            self.add(
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

    def licensed(self, t: Track, key: str) -> bool:
        if t.license.strip() or self.allow_unlicensed:
            return True
        self.add(
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

    def track_length(self, t: Track) -> float | None:
        try:
            return track_length(t)
        except ProbeError as exc:
            self.problem(t.problem(f"not decodable audio: {exc}", "replace or remove the track"))
            return None

    def library_paths(self, data: dict) -> list[Path]:
        """The recipe's [library] paths that hold a library.toml; the others are problems."""
        found = []
        for i, p in enumerate(data.get("library", {}).get("paths", [])):
            place = self.path(p)
            if library_toml(place) is not None:
                found.append(place)
                continue
            self.add(
                f"library.paths[{i}]",
                f"no library.toml in {p!r}" if place.is_dir() else f"no such folder: {p!r}",
                "a path is a folder with a library.toml (or the .toml file itself), "
                "relative to the recipe",
            )
        return found

    def catalog(self, data: dict) -> Catalog | None:
        """Every library on the search path (read once); None when one of them is broken."""
        paths = tuple(self.library_paths(data))
        if paths not in self._catalogs:
            try:
                self._catalogs[paths] = load_catalog(search_path(self.folder, paths))
            except RecipeError as e:
                for p in e.problems:
                    self.problem(p)
                self._catalogs[paths] = None
        return self._catalogs[paths]

    def add(self, key: str, message: str, hint: str = "") -> None:
        self.problem(self.source.problem(key, message, hint))

    def problem(self, p: Problem) -> None:
        """Once, however many variants run into it."""
        if p not in self.check.problems:
            self.check.problems.append(p)

    def recipe(self, data: dict, variant: str, vars_: dict) -> Recipe:
        style = _style(Style(), data.get("style", {}))
        defaults = data.get("defaults", {})
        scenes = tuple(self.scene(i, s, defaults, style) for i, s in enumerate(data["scenes"]))
        captions = tuple(
            Caption(
                i,
                c["text"],
                float(c.get("start", 0.0)),
                float(c["end"]) if "end" in c else None,
                c.get("position", "bottom"),
                _style(style, c),
            )
            for i, c in enumerate(data.get("captions", []))
        )
        for c in captions:
            if c.end is not None and c.end <= c.start:
                self.check.add(
                    f"captions[{c.index}].end", f"ends ({c.end}) before it starts ({c.start})"
                )
        overlays = tuple(
            Overlay(
                i,
                self.path(o["src"]),
                o.get("position", "top-right"),
                float(o.get("scale", 0.15)),
                min(1.0, float(o.get("opacity", 1.0))),
                float(o.get("start", 0.0)),
                float(o["end"]) if "end" in o else None,
            )
            for i, o in enumerate(data.get("overlays", []))
        )
        audio = tuple(
            AudioTrack(
                i, self.path(a["src"]), float(a.get("start", 0.0)), float(a.get("volume", 0.0))
            )
            for i, a in enumerate(data.get("audio", []))
        )
        self.library_paths(data)
        music = self.music(data["music"], data, scenes) if "music" in data else None
        return Recipe(
            self.source.path.resolve(),
            variant,
            self.output(data.get("output", {}), variant),
            scenes,
            captions,
            overlays,
            music,
            audio,
            vars_,
            self.source.lines,
            _number(data.get("generate", {}).get("max_credits")),
        )


NO_LICENCE = "licence not recorded (file given by path)"


def _by_path(track: str) -> dict:
    return {"id": None, "file": track, "license": None, "license_note": NO_LICENCE}


def _credit(t: Track) -> str:
    who = " by ".join(x for x in (t.title, t.artist) if x)
    return f" ({who})" if who else ""


def ad_seconds(scenes: tuple[Scene, ...], duration: Any) -> float:
    """The ad's length as far as the build can tell: output.duration, else the scenes' lengths
    minus the transitions' overlaps. A clip without duration counts its probed source (after
    trim and speed), or the length it will be generated at; an unreadable one counts 0."""
    if duration:
        return float(duration)
    total = 0.0
    for s in scenes:
        total += (s.duration or _clip_seconds(s)) - s.transition.duration
    return max(0.0, total)


def _clip_seconds(s: Scene) -> float:
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
    t_in, t_out = s.trim if s.trim else (0.0, length)
    return max(0.0, min(t_out, length) - t_in) / s.speed


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict) and k != "vars":
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out
