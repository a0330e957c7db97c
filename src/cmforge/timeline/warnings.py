"""Timings that render but look wrong, said as warnings (pure): a resolved Timeline in,
problems of severity "warning" out, each naming its key (the timeline adds file and line).

A scene asks for what it is by its `timing_role` (title, clip, still, endslate) and shows its
text by `shown_text()`; the reading speeds are the recipe's (recipe/model.py `Reading`, the
one place of those figures, overridden by [style] reading)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from ..delivery.platform_rules import length_limits, seconds_text
from ..delivery.platforms import PLATFORMS
from ..errors import Problem
from ..recipe.model import Reading
from ..text.markup import plain
from ..units import to_frames
from .model import Placed, Timeline

STRETCH = 2.0  # a flex scene stretched past this many times its written length
STILL = 8.0  # seconds a still may be stretched to by flex
END_SLATE = 1.5  # seconds an end slate needs to be read
CLIP = 1.0  # seconds a clip needs to register
HALF_FRAME = 0.5  # frames of rounding allowed before a sound counts as cut


def warning(key: str, message: str, hint: str = "") -> Problem:
    return Problem(message, key=key, hint=hint, severity="warning")


def reading_seconds(text: str, reading: Reading) -> float:
    """Seconds a viewer needs to read `text`: wide (CJK) characters at reading.ja a second,
    the others at reading.latin; spaces and line breaks are not counted."""
    wide = other = 0
    for ch in text:
        if ch.isspace():
            continue
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            wide += 1
        else:
            other += 1
    return wide / reading.ja + other / reading.latin


def timing_warnings(tl: Timeline) -> list[Problem]:
    """Every warning about the timeline's timings, in recipe order."""
    out: list[Problem] = []
    for i, p in enumerate(tl.scenes):
        after = tl.scenes[i + 1] if i + 1 < len(tl.scenes) else None
        out += _scene(tl, p, after)
    out += _items(tl, "captions", tl.recipe.captions)
    out += _items(tl, "overlays", tl.recipe.overlays)
    out += _reading_captions(tl)
    out += _audio(tl)
    out += _platform_length(tl)
    return out


def _platform_length(tl: Timeline) -> list[Problem]:
    """An ad whose length, as its scenes make it, is outside the length a targeted platform
    takes (delivery/platforms.py). An `output.duration` outside it is a validation error; this
    is the length the scenes add up to without one. The edge frame counts as inside. Said on
    output.platform, at the line of [matrix] platform when the platform comes from there."""
    out = []
    shown, half = tl.duration, 0.5 / float(tl.fps)
    lines = getattr(tl.recipe.lines, "lines", None) or {}
    line = lines.get("matrix.platform") if "output.platform" not in lines else None
    for name in tl.recipe.output.platforms:
        p = PLATFORMS.get(name)
        if p is None or p.min_s - half <= shown <= p.max_s + half:
            continue
        short = shown < p.min_s
        limit = seconds_text(p.min_s if short else p.max_s)
        edge = f"at least {limit}" if short else f"at most {limit}"
        said = warning(
            "output.platform",
            f"the ad runs {_s(shown)}, but {p.title} ({name}) takes ads of {edge} "
            f"({length_limits(p)}): it would be refused",
            ("lengthen the scenes" if short else "shorten the scenes")
            + " (or set output.duration and mark scenes flex = true), "
            "or deliver this variant to another platform",
        )
        out.append(replace(said, line=line) if line else said)
    return out


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _scene(tl: Timeline, p: Placed, after: Placed | None) -> list[Problem]:
    s, fps = p.scene, tl.fps
    shown = tl.seconds(p.frames)
    written = s.timing(tl.media.get(s.src) if s.src else None, fps)[0]
    role = s.timing_role
    out = []
    if s.flex and p.frames > written:
        why = []
        if p.frames > STRETCH * written:
            why.append(f"more than {STRETCH:g}× its written length")
        if role == "still" and shown > STILL:
            why.append(f"a still held beyond {STILL:g} s")
        if why:
            out.append(
                warning(
                    f"{s.key}.duration",
                    f"stretched by flex from {_s(tl.seconds(written))} to {_s(shown)} "
                    f"({' and '.join(why)}) to meet output.duration = "
                    f"{tl.recipe.output.duration:g} s",
                    "lengthen the other scenes, mark more scenes flex = true, "
                    "or shorten output.duration",
                )
            )
    if role == "endslate":
        out += _end_slate(tl, p, after)
    if role == "clip" and shown < CLIP:
        out.append(
            warning(
                f"{s.key}.duration",
                f"the clip plays {_s(shown)}, under {CLIP:g} s: too short to register",
                "lengthen it, or leave it out of this length of ad",
            )
        )
    out += _reading(tl.recipe.reading, s.key, plain(s.shown_text()), shown, role == "title")
    return out


def _end_slate(tl: Timeline, p: Placed, after: Placed | None) -> list[Problem]:
    """An end slate shorter than it needs (END_SLATE to be read, longer for a call to action
    or a QR code: the scene's least_seconds), or mostly in its transitions."""
    s, shown = p.scene, tl.seconds(p.frames)
    least, why = s.least_seconds() or (END_SLATE, "an end slate needs time to be read")
    fade = p.transition_frames + (after.transition_frames if after else 0)
    short, faded = shown < least - 0.5 / float(tl.fps), 2 * fade > p.frames
    if not (short or faded):
        return []
    what = " and ".join(
        w for w, on in ((f"shorter than {least:g} s ({why})", short), ("mostly fade", faded)) if on
    )
    return [
        warning(
            f"{s.key}.duration",
            f"the end slate is on screen {_s(shown)}, {_s(tl.seconds(fade))} of it "
            f"in a transition: {what}",
            f"lengthen the end slate to {least:g} s or more (or the ad), or shorten its transition",
        )
    ]


def _reading(reading: Reading, key: str, text: str, shown: float, title: bool) -> list[Problem]:
    """A text on screen `shown` seconds, checked against the time it takes to read."""
    need = reading_seconds(text, reading)
    if title and need <= reading.title and shown < reading.title:
        return [
            warning(
                f"{key}.duration",
                f"the title is on screen {_s(shown)}, under the {reading.title:g} s a title needs",
                "lengthen the scene",
            )
        ]
    if text and shown < need:
        return [
            warning(
                f"{key}.text",
                f"on screen {_s(shown)}, but takes {_s(need)} to read (Japanese "
                f"{reading.ja:g} characters a second, Latin {reading.latin:g})",
                "show it longer or say it in fewer characters (reading speed: [style] reading)",
            )
        ]
    return []


def _items(tl: Timeline, table: str, items: tuple) -> list[Problem]:
    """Captions or overlays that start after the ad ends (left out) or are cut by its end."""
    out = []
    end = tl.duration
    for item in items:
        key = f"{table}[{item.index}]"
        if to_frames(item.start, tl.fps) >= tl.frames:
            out.append(
                warning(
                    f"{key}.start",
                    f"starts at {item.start:g} s, after the ad ends ({_s(end)}): left out",
                    "move it earlier, or lengthen the ad",
                )
            )
        elif item.end is not None and to_frames(item.end, tl.fps) > tl.frames:
            out.append(
                warning(
                    f"{key}.end",
                    f"ends at {item.end:g} s, after the ad ends ({_s(end)}): cut at {_s(end)}",
                    "end it by the ad's end",
                )
            )
    return out


def _reading_captions(tl: Timeline) -> list[Problem]:
    out = []
    for c in tl.captions:
        shown = tl.seconds(c.end - c.start)
        out += _reading(
            tl.recipe.reading, f"captions[{c.item.index}]", plain(c.item.text), shown, False
        )
    return out


def _audio(tl: Timeline) -> list[Problem]:
    """[[audio]] tracks (narration, effects) that start after the ad ends or are cut by it."""
    out = []
    end = tl.duration
    for a in tl.recipe.audio:
        key = f"audio[{a.index}].start"
        if to_frames(a.start, tl.fps) >= tl.frames:
            out.append(
                warning(
                    key,
                    f"starts at {a.start:g} s, after the ad ends ({_s(end)}): not heard",
                    "start it earlier, or lengthen the ad",
                )
            )
            continue
        info = tl.media.get(a.src)
        if info is not None and info.duration:
            stop = a.start + info.duration
            if (stop - end) * tl.fps > HALF_FRAME:
                out.append(
                    warning(
                        key,
                        f"plays until {stop:.2f} s, after the ad ends ({_s(end)}): cut at "
                        f"{_s(end)}",
                        "start it earlier, shorten the file, or lengthen the ad",
                    )
                )
    return out
