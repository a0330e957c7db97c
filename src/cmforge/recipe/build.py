"""Raw variant dict -> frozen Recipe, with the semantic checks that need values."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Protocol

from ..delivery.platform_rules import output_problems
from ..delivery.standards import FORMATS, STANDARDS
from ..delivery.tvmaster import output_problems as tv_problems
from ..errors import Problem
from ..units import even, parse_color, parse_fps, parse_gain
from .kinds import SCENE_KINDS
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
    Reading,
    Recipe,
    Scene,
    SceneTable,
    Stroke,
    Style,
    Transition,
    scene_key,
)
from .motion import animate_from, look_from
from .spec import GENERATE_SHARED, F
from .stills import build_stills
from .transitions import TRANSITION_KINDS
from .validate import Checker

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


def _highlight(base: Style, value: Any) -> tuple[Any, float]:
    """(colour, scale) of **marked** words: a colour sets the colour only; a table sets the
    keys it gives (color, scale); the rest are the base style's."""
    if value is None:
        return base.highlight, base.highlight_scale
    if isinstance(value, str):
        return parse_color(value), base.highlight_scale
    color = parse_color(value["color"]) if "color" in value else base.highlight
    return color, float(value.get("scale", base.highlight_scale))


def style_from(base: Style, data: dict) -> Style:
    """A text style: the base with the keys a table sets (color, font, size, weight, stroke,
    highlight)."""
    stroke = base.stroke
    highlight, highlight_scale = _highlight(base, data.get("highlight"))
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
        highlight=highlight,
        highlight_scale=highlight_scale,
        caption=look_from(data.get("caption"), base.caption),
    )


def _pin(d: dict) -> tuple[float | None, float | None]:
    """A caption's or overlay's pinned corner (x, y as fractions of the frame), if given."""
    if "x" not in d and "y" not in d:
        return None, None
    return float(d.get("x", 0.0)), float(d.get("y", 0.0))


def _transition(value: Any) -> Transition:
    """The record of a checked transition (a type name or a table; None: a cut), built by its
    registered kind from the keys given (the kind's defaults for the others)."""
    table = {"type": value} if isinstance(value, str) else dict(value or {"type": "cut"})
    name = table.pop("type", "cut")
    kind = TRANSITION_KINDS[name]
    return kind.build(name, {k: _typed(kind.fields[k], v) for k, v in table.items()})


def _typed(spec: F, value: Any) -> Any:
    """A checked recipe value as the record holds it."""
    if spec.kind == "number":
        return float(value)
    if spec.kind == "color":
        return parse_color(value)
    return value


_PLATFORM_HINTS = {
    "output.platform": "give each format its own platform in [[variants]] or [matrix], "
    'e.g. output = { format = "square", platform = "feed" }',
    "output.fps": "set output.fps to one every listed platform takes (30 is safe)",
    "output.duration": "shorten the ad, or give this platform a variant of its own",
}


def _loudness(value: object) -> tuple[float | None, str]:
    if value is None:
        return None, ""
    if isinstance(value, str):
        return STANDARDS[value].target, value
    return float(value), ""


def _duck(value: object) -> Duck | None:
    if isinstance(value, dict):
        d = Duck(
            parse_gain(value.get("depth", -10), "dB"),
            float(value.get("attack", 0.05)),
            float(value.get("release", 0.4)),
        )
    elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
        d = Duck(parse_gain(value, "dB"))
    else:
        return None
    return d if d.depth < 0 else None


class MusicSource(Protocol):
    """Finds the file of a recipe's music (the assets stage implements it: library reads and
    probing stay out of the recipe stage). Problems go to the builder (b.add / b.problem)."""

    def check_paths(self, b: Builder, data: dict) -> None:
        """Report [library] paths that hold no library."""

    def find(
        self, b: Builder, m: dict, data: dict, scenes: tuple[Scene, ...]
    ) -> tuple[str, Path, dict, str] | None:
        """(track, file, licence info, why), or None after adding a problem."""


class Builder:
    def __init__(
        self,
        source: Source,
        check: Checker,
        out_dir: Path | None,
        music_source: MusicSource | None = None,
    ):
        self.source, self.check, self.out_dir = source, check, out_dir
        self.folder = source.folder.resolve()
        self.music_source = music_source

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
        platform = data.get("platform", ())
        platforms = (platform,) if isinstance(platform, str) else tuple(map(str, platform))
        fps = parse_fps(data.get("fps", 30))
        for key, message in output_problems(platforms, w, h, float(fps), dur and float(dur)):
            self.check.add(key, message, _PLATFORM_HINTS[key])
        deliver, cm_code = str(data.get("deliver", "")), str(data.get("cm_code", ""))
        if deliver:
            for key, message, hint in tv_problems(w, h, float(fps), dur and float(dur), cm_code):
                self.check.add(key, message, hint)
        return Output(
            path,
            w,
            h,
            fps,
            float(dur) if dur else None,
            int(data.get("crf", 20)),
            str(data.get("preset", "medium")),
            *_loudness(data.get("loudness")),
            platforms,
            deliver,
            cm_code,
            str(data.get("advertiser", "")),
        )

    def scene(self, i: int, d: dict, defaults: dict, style: Style) -> Scene:
        """The frozen record of scene i, built by its registered kind."""
        kind = SCENE_KINDS[d["type"]]
        trans = _transition(d.get("transition", defaults.get("transition")) if i else None)
        duration = d.get("duration")
        common: dict[str, Any] = dict(
            index=i,
            duration=duration if duration is not None else kind.default_duration,
            transition=trans,
            flex=bool(d.get("flex", False)),
            name=d["name"] if isinstance(d.get("name"), str) else "",  # a kind may take a bool
        )
        return kind.build(self, SceneTable(scene_key(i), d, common, defaults, style))

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
            keep_stand_in=bool(g.get("keep_stand_in", False)),
        )

    def music(self, m: dict, data: dict, scenes: tuple[Scene, ...]) -> Music | None:
        """The [music] table; its file is found by the music source the loader was given (the
        assets stage: a file, a library id or a mood pick). Without one, the track stays as
        written and `path` is None."""
        if "track" in m and "mood" in m:
            self.add("music.mood", "give track or mood, not both", "remove one of them")
            return None
        if "mood" in m and not any(mood.strip() for mood in m["mood"]):
            self.add("music.mood", "names no mood", 'e.g. mood = ["upbeat"]')
            return None
        if "mood" not in m and "track" not in m:
            self.add("music.track", "is required (a library id, an audio file, or mood = [...])")
            return None
        found = (
            self.music_source.find(self, m, data, scenes)
            if self.music_source is not None
            else (m.get("track", ""), None, {}, "")
        )
        if found is None:
            return None
        track, path, info, why = found
        return Music(
            track,
            path,
            float(m.get("start", 0.0)),
            parse_gain(m.get("volume", 0.0), "dB"),
            float(m.get("fade_in", 0.0)),
            float(m.get("fade_out", 1.0)),
            info,
            _duck(m.get("duck")),
            why=why,
            mood=tuple(m.get("mood", ())),
        )

    def add(self, key: str, message: str, hint: str = "") -> None:
        self.problem(self.source.problem(key, message, hint))

    def problem(self, p: Problem) -> None:
        """Once, however many variants run into it."""
        if p not in self.check.problems:
            self.check.problems.append(p)

    def recipe(self, data: dict, variant: str, vars_: dict) -> Recipe:
        style = style_from(Style(), data.get("style", {}))
        defaults = data.get("defaults", {})
        scenes = tuple(self.scene(i, s, defaults, style) for i, s in enumerate(data["scenes"]))
        captions = tuple(
            Caption(
                i,
                c["text"],
                float(c.get("start", 0.0)),
                float(c["end"]) if "end" in c else None,
                c.get("position", "bottom"),
                style_from(style, {**c, "caption": c.get("look")}),
                *_pin(c),
                animate=animate_from(c.get("animate")),
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
                *_pin(o),
            )
            for i, o in enumerate(data.get("overlays", []))
        )
        for table, items in (("captions", captions), ("overlays", overlays)):
            for item in items:
                for name in ("x", "y"):
                    v = getattr(item, name)
                    if v is not None and v > 1:
                        self.check.add(
                            f"{table}[{item.index}].{name}",
                            f"{name} = {v:g} is outside the frame: expected a fraction 0..1",
                            f"e.g. {name} = 0.1 for 10 % of the frame from the "
                            + ("left" if name == "x" else "top"),
                        )
        audio = tuple(
            AudioTrack(
                i,
                self.path(a["src"]),
                float(a.get("start", 0.0)),
                parse_gain(a.get("volume", 0.0), "dB"),
            )
            for i, a in enumerate(data.get("audio", []))
        )
        if self.music_source is not None:
            self.music_source.check_paths(self, data)
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
            stills=build_stills(self, data, scenes),
            reading=Reading.of(data.get("style", {}).get("reading")),
            max_cost=_number(data.get("generate", {}).get("max_cost")),
        )


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
