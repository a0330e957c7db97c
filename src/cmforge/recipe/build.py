"""Raw variant dict -> frozen Recipe, with the semantic checks that need values."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..audio.library import all_tracks
from ..units import FORMATS, even, parse_color, parse_fps
from .load import Source
from .model import (
    AudioTrack,
    Background,
    Caption,
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
from .validate import Checker, did_you_mean

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


class Builder:
    def __init__(self, source: Source, check: Checker, out_dir: Path | None):
        self.source, self.check, self.out_dir = source, check, out_dir
        self.folder = source.folder.resolve()

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
            cfg_scale=float(g.get("cfg_scale", 0.5)),
            mode=g.get("mode", "std"),
            length=int(g.get("length", 5)),
            model=g.get("model", "kling-v1-6"),
            aspect_ratio=g.get("aspect_ratio"),
            camera_control=g.get("camera_control"),
            motion=g.get("motion", "zoom-in"),
            takes=takes,
            pick=min(pick, takes),
        )

    def music(self, m: dict) -> Music | None:
        if "track" not in m:
            self.check.add("music.track", "is required (a library id or an audio file)")
            return None
        track = m["track"]
        info: dict = {"id": track}
        path = self.path(track)
        if not path.is_file() and "/" not in track and "\\" not in track and "." not in track:
            tracks = all_tracks(self.folder)
            if track in tracks:
                path, info = tracks[track].path, tracks[track].info()
            else:
                self.check.add(
                    "music.track",
                    f"no track {track!r} in the audio libraries",
                    did_you_mean(track, sorted(tracks))
                    or f"known ids: {', '.join(sorted(tracks)) or '(none)'}",
                )
        return Music(
            track,
            path,
            float(m.get("start", 0.0)),
            float(m.get("volume", 0.0)),
            float(m.get("fade_in", 0.0)),
            float(m.get("fade_out", 1.0)),
            info,
        )

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
        music = self.music(data["music"]) if "music" in data else None
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
