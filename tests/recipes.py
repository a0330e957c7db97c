"""Recipes for tests: the TOML a test needs from a few words, written where the test wants it.

    text = recipes.output(size=(96, 160), fps=10) + recipes.title("A", duration=1)
    video = recipes.render_one(recipes.write(folder, text))

Values are written as TOML literals (strings escaped, lists, inline tables), so a test says what
its recipe holds and not how TOML spells it. Tests about the recipe format itself keep their
TOML text as it is."""

from __future__ import annotations

import json
from pathlib import Path

from cmforge import Recipe, load_recipe, render

SMALL = (180, 320)  # a 9:16 frame that renders in a blink


def toml(value: object) -> str:
    """A Python value as a TOML literal: str, bool, int, float, list/tuple, dict (inline)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML literal for {value!r}")


def keys(**values: object) -> str:
    """key = value lines, in the order given (a None value leaves its key out)."""
    return "".join(f"{k} = {toml(v)}\n" for k, v in values.items() if v is not None)


def table(name: str, /, **values: object) -> str:
    """[name] and its keys."""
    return f"[{name}]\n" + keys(**values)


def output(
    size: tuple[int, int] = SMALL,
    fps: int | float = 15,
    path: str | None = "out/{{variant}}.mp4",
    **values: object,
) -> str:
    """A small [output] table; path=None keeps the default output path."""
    return table("output", size=list(size), fps=fps, path=path, **values)


def entry(name: str, /, **values: object) -> str:
    """One [[name]] entry of an array of tables ([[audio]], [[captions]], ...)."""
    return f"[[{name}]]\n" + keys(**values)


def scene(kind: str, /, **values: object) -> str:
    """One [[scenes]] entry of type ``kind``."""
    return entry("scenes", type=kind, **values)


def title(text: str | None = "A", duration: float | None = 1.0, **values: object) -> str:
    """A title card scene (text=None: no text key)."""
    return scene("title", text=text, duration=duration, **values)


def write(folder: Path, text: str, name: str = "recipe.toml") -> Path:
    """The recipe text as a file in folder (made if needed); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_one(path: Path, **kw: object) -> Recipe:
    """The recipe of a file with exactly one variant (kw: load_recipe's options)."""
    [recipe] = load_recipe(path, **kw)
    return recipe


def render_one(path: Path, **kw: object) -> Path:
    """Render a one-variant recipe file; returns the video's path."""
    return render(load_one(path, **kw))


def school_ad(
    duration: float, *, narration: float = 7.6, size: tuple[int, int] = SMALL, fps: int = 30
) -> str:
    """A 15 s school ad as the template was first written: title, a 5 s generated clip (flex), a
    3 s clip, a still (flex) and an end slate (flex), with a caption, an overlay and narration.
    Its files: gen.mp4 (5 s), hallway.mp4 (3 s), room.png, logo.png, narration.wav (5 s)."""
    return (
        table("output", size=list(size), fps=fps, duration=duration)
        + table("defaults", transition={"type": "fade", "duration": 0.4})
        + title("No.1", duration=2.5)
        + scene("clip", src="gen.mp4", duration=5.0, flex=True)
        + scene("clip", src="hallway.mp4", duration=3.0)
        + scene(
            "image",
            src="room.png",
            duration=3.2,
            flex=True,
            transition={"type": "slideleft", "duration": 0.5},
        )
        + scene("endslate", text="Sakura", duration=3.0, flex=True)
        + entry("captions", text="Study is fun", start=2.6, end=4.8)
        + entry("overlays", src="logo.png", start=2.4, end=5.8)
        + entry("audio", src="narration.wav", start=narration)
    )


# a call-to-action end slate with every part (logo, dates, button, phone, URL, LINE, QR)
URL = "https://sakura-seminar.example/trial"
CTA = dict(
    logo="logo.png",
    name=False,
    cta="無料体験 受付中",
    phone="0120-000-000",
    url=URL,
    line_id="@sakura-juku",
    period="3/1〜3/31",
    qr=True,
)
