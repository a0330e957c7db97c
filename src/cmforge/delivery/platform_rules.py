"""A platform's delivery rules: what recipe validation holds an output to (`output_problems`)
and `cmforge check --platform` judges on measured facts (`judge_platform`). Pure, like
judge.py; the numbers are the platform's entry in platforms.py (the table the safe zones of a
render come from), so adding a platform adds its rules here without a line of code.

One report line per rule and platform, named "<platform> <rule>": size (an aspect the
platform shows, at least its least size, at most its largest), frame rate, length, file size,
bitrate (where the platform sets one) and sound (present where required; sample rate and
bitrate where the platform sets them).
"""

from __future__ import annotations

from .facts import Facts
from .judge import Line
from .platforms import PLATFORMS, Platform, aspect_problems

_FPS_SLACK = 0.01  # 23.976 is 24000/1001 = 23.976023...


def _fps(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _bytes(n: float) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n:g} B"


def seconds_text(s: float) -> str:
    """A length limit as the platforms say it: '60 s', '2 min'."""
    return f"{s / 60:g} min" if s >= 120 and s % 60 == 0 else f"{s:g} s"


def length_limits(p: Platform) -> str:
    """The lengths a platform takes: '5-60 s', '5 s-2 min'."""
    if p.max_s < 120:
        return f"{p.min_s:g}-{p.max_s:g} s"
    return f"{seconds_text(p.min_s)}-{seconds_text(p.max_s)}"


def output_problems(
    platforms: tuple[str, ...] | list[str],
    width: int,
    height: int,
    fps: float,
    duration: float | None = None,
) -> list[tuple[str, str]]:
    """(output key, message) for what a recipe's output asks that a listed platform refuses:
    an aspect it does not show, a frame rate or an exact length outside its limits. Unknown
    names are the validator's; sizes below a platform's least are left to `check --platform`
    (tests and drafts render small on purpose)."""
    out = [("output.platform", m) for m in aspect_problems(platforms, width, height)]
    for name in platforms:
        p = PLATFORMS.get(name)
        if p is None:
            continue
        label = f"{p.title} ({name})"
        lo, hi = p.fps
        if not lo - 0.01 <= fps <= hi + 0.01:
            out.append(("output.fps", f"{label} takes {lo:g}-{hi:g} fps, not {fps:g}"))
        if duration is not None and not p.min_s <= duration <= p.max_s:
            out.append(
                ("output.duration", f"{label} takes {p.min_s:g}-{p.max_s:g} s, not {duration:g}")
            )
    return out


def judge_platform(f: Facts, p: Platform) -> list[Line]:
    """The report lines of one platform's delivery rules for measured facts."""
    lines = [_size(f, p), _frame_rate(f, p), _length(f, p)]
    over = f.file_bytes > p.max_bytes
    note = f"{p.title} takes files up to {_bytes(p.max_bytes)}: lower output.crf" if over else ""
    lines.append(
        Line(
            f"{p.name} file size", _bytes(f.file_bytes), f"≤ {_bytes(p.max_bytes)}", not over, note
        )
    )
    if p.min_kbps or p.max_kbps:
        lines.append(_bitrate(f, p))
    lines.append(_sound(f, p))
    return lines


def _size(f: Facts, p: Platform) -> Line:
    frame = p.frame(f.width, f.height)
    value = f"{f.width}x{f.height}"
    expected = ", ".join(f"{x.aspect} ≥ {x.least[0]}x{x.least[1]}" for x in p.frames)
    if p.max_height:
        expected += f", ≤ {p.max_height}p"
    if frame is None:
        note = f"{p.title} shows {p.aspects()}"
        return Line(f"{p.name} size", value, expected, False, note)
    small = f.width < frame.least[0] or f.height < frame.least[1]
    large = bool(p.max_height) and min(f.width, f.height) > p.max_height
    note = ""
    if small:
        note = f"too small for {p.title}: render {frame.size[0]}x{frame.size[1]}"
    elif large:
        note = f"{p.title} takes at most {p.max_height}p"
    return Line(f"{p.name} size", f"{value} ({frame.aspect})", expected, not (small or large), note)


def _frame_rate(f: Facts, p: Platform) -> Line:
    lo, hi = p.fps
    expected = f"{_fps(lo)}-{_fps(hi)} fps"
    fps = f.cadence.fps
    if fps <= 0:
        return Line(f"{p.name} frame rate", "unknown", expected, False, "no frame timestamps")
    ok = lo - _FPS_SLACK <= fps <= hi + _FPS_SLACK
    note = "" if ok else f"{p.title} takes {expected}: set output.fps"
    return Line(f"{p.name} frame rate", f"{_fps(fps)} fps", expected, ok, note)


def _length(f: Facts, p: Platform) -> Line:
    s = f.video_seconds
    half = 0.5 / f.cadence.fps if f.cadence.fps else 1 / 60  # the edge frame counts as inside
    expected = length_limits(p)
    ok = p.min_s - half <= s <= p.max_s + half
    note = "" if ok else f"{p.title} takes {expected}: set output.duration"
    if ok and p.notes:
        note = p.notes
    return Line(f"{p.name} length", f"{s:.3f} s", expected, ok, note)


def _bitrate(f: Facts, p: Platform) -> Line:
    kbps = f.kbps
    parts = ([f"≥ {p.min_kbps} kbps"] if p.min_kbps else []) + (
        [f"≤ {p.max_kbps / 1000:g} Mbps"] if p.max_kbps else []
    )
    low = bool(p.min_kbps) and kbps < p.min_kbps
    high = bool(p.max_kbps) and kbps > p.max_kbps
    note = "raise the quality (lower output.crf)" if low else ""
    note = "lower the quality (raise output.crf)" if high else note
    return Line(f"{p.name} bitrate", f"{kbps:.0f} kbps", ", ".join(parts), not (low or high), note)


def _sound(f: Facts, p: Platform) -> Line:
    wants = ["required" if p.audio == "required" else "optional"]
    if p.audio_rates:
        wants.append(" or ".join(f"{r / 1000:g}" for r in p.audio_rates) + " kHz")
    if p.audio_kbps:
        wants.append(f"≥ {p.audio_kbps} kbps")
    expected = ", ".join(wants)
    if not f.audio_codec:
        ok = p.audio != "required"
        note = "" if ok else f"{p.title} refuses a video without sound: add music or silence"
        return Line(f"{p.name} sound", "none", expected, ok, note)
    value = f"{f.audio_codec} {f.audio_rate / 1000:g} kHz {f.audio_kbps:.0f} kbps"
    problems = []
    if p.audio_rates and f.audio_rate not in p.audio_rates:
        problems.append(f"resample to {p.audio_rates[-1] / 1000:g} kHz")
    # AAC encoders land a few kbps under the asked rate on quiet passages: 95 % passes; a
    # silent track (below the -70 LUFS gate) is a few kbps whatever was asked: not judged
    silent = f.loudness is not None and f.loudness.integrated <= -70
    note = "silent throughout: its bitrate is not judged" if silent and p.audio_kbps else ""
    if p.audio_kbps and not silent and f.audio_kbps < p.audio_kbps * 0.95:
        problems.append(f"encode the sound at {p.audio_kbps} kbps or more")
    return Line(f"{p.name} sound", value, expected, not problems, "; ".join(problems) or note)
