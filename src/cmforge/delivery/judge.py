"""`cmforge check`'s rules: measured facts in, one report line per rule out. Pure (no file, no
FFmpeg), so every rule is tested on plain data; the numbers a standard sets (loudness target and
tolerance, true peak, sample rates, silent head and tail) come from `standards.py`.

Thresholds that are the same for every standard (and why):
- loudness range: reported, a failure only above 20 LU. R128 sets no limit, and a 15 s ad is
  far below that unless it mixes a whisper with a shout; above 20 LU a living room hears it.
- head and tail: a standard with silent edges (jp-tv: 0.5 s) wants them to be digital silence
  (every sample below -90 dBFS) so that stations can cut between commercials; the others only
  report them.
- black: black at the very start or end is reported; a black run longer than 0.5 s anywhere
  else fails (a dropped shot, not a dip to black between scenes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .facts import SILENCE_DB, Facts
from .standards import Standard

CODECS = ("h264", "hevc")
LRA_MAX = 20.0  # LU
BLACK_RUN = 0.5  # s: a longer black run mid-video fails
BT709 = ("bt709", "bt709", "bt709", "tv")  # primaries, transfer, matrix, range


@dataclass(frozen=True)
class Line:
    name: str
    value: str
    expected: str
    ok: bool
    note: str = ""


@dataclass(frozen=True)
class Report:
    path: Path
    standard: str
    lines: tuple[Line, ...]
    facts: Facts | None = field(default=None, compare=False)
    platforms: tuple[str, ...] = ()  # check --platform: whose delivery rules were added

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    @property
    def judged_by(self) -> str:
        """'web' or 'web, tiktok': the standard and the platforms whose rules were applied."""
        return ", ".join((self.standard, *self.platforms))

    @property
    def failures(self) -> list[Line]:
        return [line for line in self.lines if not line.ok]

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "standard": self.standard,
            "platforms": list(self.platforms),
            "ok": self.ok,
            "failures": [line.name for line in self.failures],
            "lines": [asdict(line) for line in self.lines],
            "facts": self.facts.as_dict() if self.facts else None,
        }


def judge(
    f: Facts,
    std: Standard,
    size: tuple[int, int] | None = None,
    duration: float | None = None,
) -> list[Line]:
    """Report lines for measured facts: video first, then sound (or one failing 'audio' line)."""
    lines = [_resolution(f, size), _frame_rate(f, std), *_length(f, duration)]
    lines += [
        Line("codec", f.codec, " or ".join(CODECS), f.codec in CODECS),
        _pixel_format(f),
        _colour_tags(f),
        _black(f),
    ]
    if not f.audio_codec:
        note = "no audio stream: deliver a stereo track even if it is silent"
        return [*lines, Line("audio", "none", "an audio stream", False, note)]
    rates = " or ".join(f"{r / 1000:g}" for r in std.rates) + " kHz"
    lines += [
        Line("audio", f.audio_codec, "an audio stream", True),
        Line("sample rate", f"{f.audio_rate / 1000:g} kHz", rates, f.audio_rate in std.rates),
        _channels(f),
        _av_length(f),
        *_loudness(f, std),
        *_edges(f, std),
    ]
    return lines


def _period(f: Facts) -> float:
    return 1 / f.cadence.fps if f.cadence.fps else 1 / 30


def _fps(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".")


def _resolution(f: Facts, size: tuple[int, int] | None) -> Line:
    value = f"{f.width}x{f.height}"
    if size:
        return Line("resolution", value, f"{size[0]}x{size[1]}", (f.width, f.height) == size)
    even = f.width % 2 == 0 and f.height % 2 == 0
    note = "" if even else "odd sizes break 4:2:0 chroma; many players and stations refuse them"
    return Line("resolution", value, "even width and height", even, note)


def _frame_rate(f: Facts, std: Standard) -> Line:
    c = f.cadence
    if c.fps <= 0:
        return Line("frame rate", "unknown", "constant", False, "no frame timestamps")
    if c.constant:
        other = std.fps > 0 and abs(c.fps - std.fps) >= 0.01
        note = f"{std.name}: the broadcast runs at {_fps(std.fps)} fps" if other else ""
        return Line("frame rate", f"{_fps(c.fps)} fps, constant", "constant", True, note)
    value = f"variable, {_fps(1 / c.longest)}-{_fps(1 / c.shortest)} fps"
    note = f"frames {c.shortest * 1000:.1f}-{c.longest * 1000:.1f} ms apart: re-encode at a "
    note += f"constant rate (-fps_mode cfr -r {_fps(c.fps)})"
    return Line("frame rate", value, "constant", False, note)


def _length(f: Facts, duration: float | None) -> list[Line]:
    frames, seconds = f.cadence.frames, f.video_seconds
    if duration is None:
        return [
            Line("frames", str(frames), "at least 1", frames > 0),
            Line("duration", f"{seconds:.3f} s", "any (--duration to require one)", seconds > 0),
        ]
    want = round(duration * f.cadence.fps)
    return [
        Line("frames", str(frames), f"{want} ({_fps(f.cadence.fps)} fps)", frames == want),
        Line(
            "duration",
            f"{seconds:.3f} s",
            f"{duration:.3f} s",
            abs(seconds - duration) < _period(f) / 2,
        ),
    ]


def _pixel_format(f: Facts) -> Line:
    notes = {"yuvj420p": "full-range (JPEG) 4:2:0: re-encode as yuv420p, tv range"}
    note = notes.get(f.pix_fmt, "" if f.pix_fmt == "yuv420p" else "re-encode with -pix_fmt yuv420p")
    return Line("pixel format", f.pix_fmt or "unknown", "yuv420p", f.pix_fmt == "yuv420p", note)


def _colour_tags(f: Facts) -> Line:
    value = "/".join(f.colour[:3]) + ", " + f.colour[3]
    expected = "/".join(BT709[:3]) + ", " + BT709[3]
    ok = f.colour == BT709
    note = ""
    if "unset" in f.colour:
        note = (
            "untagged colour makes players guess (some pick BT.601): tag it with -colorspace "
            "bt709 -color_primaries bt709 -color_trc bt709 -color_range tv"
        )
    elif not ok:
        note = (
            "not BT.709 SDR: convert the colours (zscale or colorspace filter), not just the tags"
        )
    return Line("colour", value, expected, ok, note)


def _black(f: Facts) -> Line:
    period, end = _period(f), f.video_seconds
    parts, short, middle = [], 0, False
    for start, stop in f.blacks:
        if start <= period / 2:
            whole = stop >= end - 1.5 * period
            parts.append("the whole video" if whole else f"leading {stop:.2f} s")
        elif stop >= end - 1.5 * period:
            parts.append(f"trailing {end - start:.2f} s")
        elif stop - start > BLACK_RUN:
            parts.append(f"{start:.2f}-{stop:.2f} s")
            middle = True
        else:
            short += 1
    note = f"{short} short dip{'s' if short != 1 else ''} to black" if short else ""
    if middle:
        note = "black mid-video: a missing shot?" + (f"; {note}" if note else "")
    expected = f"no black run over {BLACK_RUN:g} s mid-video"
    return Line("black", ", ".join(parts) or "none", expected, not middle, note)


def _channels(f: Facts) -> Line:
    names = {1: "mono", 2: "stereo", 6: "5.1", 8: "7.1"}
    value = f"{f.audio_channels} ({names.get(f.audio_channels, 'channels')})"
    note = "" if f.audio_channels == 2 else "re-encode with -ac 2 (a mono mix on both sides)"
    return Line("channels", value, "2 (stereo)", f.audio_channels == 2, note)


def _av_length(f: Facts) -> Line:
    diff, period = f.audio_seconds - f.video_seconds, _period(f)
    ok = abs(diff) <= period + 1e-6
    note = f"audio {f.audio_seconds:.3f} s, video {f.video_seconds:.3f} s"
    note += "" if ok else ": pad or trim the audio" if diff < 0 else ": trim the audio"
    return Line("a/v length", f"{diff:+.3f} s", f"within ±{period:.3f} s (a frame)", ok, note)


def _loudness(f: Facts, std: Standard) -> list[Line]:
    target = f"{std.target:g} ±{std.tolerance:g} {std.unit}"
    tp_expected, lra_expected = f"≤ {std.true_peak:g} dBTP", f"≤ {LRA_MAX:g} LU"
    m = f.loudness
    if m is None:
        pairs = (("loudness", target), ("true peak", tp_expected), ("loudness range", lra_expected))
        return [Line(n, "not measured", e, False) for n, e in pairs]
    off = m.integrated - std.target
    ok = std.loudness_ok(m.integrated)  # the manifest's within_spec asks the same
    note = "" if ok else f"too {'loud' if off > 0 else 'quiet'} by {abs(off):.1f} LU: "
    note += "" if ok else f"apply {-off:+.1f} dB (then mind the true peak)"
    loud = Line("loudness", f"{m.integrated:.1f} {std.unit}", target, ok, note)
    if m.integrated <= -70:
        loud = Line("loudness", "silent", target, False, "everything is below the -70 LUFS gate")
    tp_ok = std.peak_ok(m.true_peak)
    tp_note = "" if tp_ok else f"{m.true_peak - std.true_peak:.1f} dB over: use a true-peak limiter"
    lra_ok = m.lra <= LRA_MAX
    lra_note = "" if lra_ok else "compress the mix: quiet parts get lost, loud parts annoy"
    return [
        loud,
        Line("true peak", f"{m.true_peak:.1f} dBTP", tp_expected, tp_ok, tp_note),
        Line("loudness range", f"{m.lra:.1f} LU", lra_expected, lra_ok, lra_note),
    ]


def _edges(f: Facts, std: Standard) -> list[Line]:
    """Digital silence at the head and tail of the sound."""
    end, eps = f.audio_seconds, 0.01
    head = next((stop for start, stop in f.silences if start <= eps), 0.0)
    tail = next((end - start for start, stop in reversed(f.silences) if stop >= end - eps), 0.0)
    edge = std.silent_edge
    expected = f"≥ {edge:g} s below {SILENCE_DB:g} dBFS" if std.silent_edges else "reported only"
    why = "stations cut between commercials there: "
    lines = []
    for name, silent, loud, hint in (
        ("head", head, "sound at the very start", "start the sound later"),
        ("tail", tail, "sound up to the end", "fade out earlier and pad with silence"),
    ):
        value = f"{'first' if name == 'head' else 'last'} {silent:.2f} s silent" if silent else loud
        value = "silent throughout" if silent >= end - eps else value
        ok = silent >= edge - 1e-3 or not std.silent_edges
        lines.append(Line(f"{name} silence", value, expected, ok, "" if ok else why + hint))
    return lines
