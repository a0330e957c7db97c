"""Delivery lint for any video, ours or not: is this file fit to hand to a web platform, an
EBU broadcaster or a Japanese TV station?

Facts come from two looks at the file: PyAV reads the stream facts and every video packet's
timestamp (no decoding), and one FFmpeg run decodes everything once with blackdetect on the
picture and astats + silencedetect + ebur128 on the sound. `judge` turns those facts into
report lines without touching the file, so every rule is testable on plain data.

Thresholds (and why):
- loudness: web -14 LUFS ±1 (what the big platforms normalise to); ebu -23 LUFS ±0.5 (EBU
  R128 allows ±1 only for live programmes, so a finished file gets ±0.5); jp-tv -24 LKFS ±1
  (ARIB TR-B32 and the JBA's T032 guideline for commercials).
- true peak at most -1 dBTP for all three (R128, TR-B32; leaves room for lossy re-encoding).
- loudness range: reported, a failure only above 20 LU. R128 sets no limit, and a 15 s ad is
  far below that unless it mixes a whisper with a shout; above 20 LU a living room hears it.
- head and tail: jp-tv wants the first and last 0.5 s to be digital silence (every sample
  below -90 dBFS) so that stations can cut between commercials; web and ebu only report it.
- black: black at the very start or end is reported; a black run longer than 0.5 s anywhere
  else fails (a dropped shot, not a dip to black between scenes).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import CmforgeError, FFmpegMissing
from .media.loudness import EBUR128, Loudness, parse_ebur128


@dataclass(frozen=True)
class Standard:
    name: str
    loudness: float  # target, LUFS (= LKFS)
    tolerance: float  # LU either side
    unit: str
    rates: tuple[int, ...]  # audio sample rates accepted
    silent_ends: bool  # the first and last EDGE seconds must be digital silence


STANDARDS = {
    "web": Standard("web", -14.0, 1.0, "LUFS", (44100, 48000), False),
    "ebu": Standard("ebu", -23.0, 0.5, "LUFS", (48000,), False),
    "jp-tv": Standard("jp-tv", -24.0, 1.0, "LKFS", (48000,), True),
}
FORMATS = {"vertical": (1080, 1920), "square": (1080, 1080), "landscape": (1920, 1080)}
CODECS = ("h264", "hevc")
TRUE_PEAK_MAX = -1.0  # dBTP
LRA_MAX = 20.0  # LU
SILENCE_DB = -90.0  # dBFS: "digital silence"
EDGE = 0.5  # s of head and tail that jp-tv wants silent
BLACK_RUN = 0.5  # s: a longer black run mid-video fails
BT709 = ("bt709", "bt709", "bt709", "tv")  # primaries, transfer, matrix, range


class CheckError(CmforgeError):
    """The file cannot be checked: missing, not a video, or undecodable."""

    exit_code = 2


@dataclass(frozen=True)
class Line:
    name: str
    value: str
    expected: str
    ok: bool
    note: str = ""


@dataclass(frozen=True)
class Cadence:
    """How the video frames are spaced in time."""

    frames: int
    fps: float  # from the median spacing (0 when unknown)
    constant: bool
    shortest: float  # s between two frames
    longest: float


@dataclass(frozen=True)
class Facts:
    """Everything measured about one file; plain data, judged by `judge`."""

    width: int
    height: int
    codec: str
    pix_fmt: str
    colour: tuple[str, str, str, str]  # primaries, transfer, matrix, range ("unset" if absent)
    cadence: Cadence
    video_seconds: float
    audio_codec: str = ""  # "" = no audio stream
    audio_rate: int = 0
    audio_channels: int = 0
    audio_seconds: float = 0.0
    loudness: Loudness | None = None
    silences: tuple[tuple[float, float], ...] = ()  # below SILENCE_DB, s from the audio start
    blacks: tuple[tuple[float, float], ...] = ()  # s from the first frame

    def as_dict(self) -> dict:
        d = asdict(self)
        d["loudness"] = self.loudness.as_dict() if self.loudness else None
        return d


@dataclass(frozen=True)
class Report:
    path: Path
    standard: str
    lines: tuple[Line, ...]
    facts: Facts | None = field(default=None, compare=False)

    @property
    def ok(self) -> bool:
        return all(line.ok for line in self.lines)

    @property
    def failures(self) -> list[Line]:
        return [line for line in self.lines if not line.ok]

    def as_dict(self) -> dict:
        return {
            "file": str(self.path),
            "standard": self.standard,
            "ok": self.ok,
            "failures": [line.name for line in self.failures],
            "lines": [asdict(line) for line in self.lines],
            "facts": self.facts.as_dict() if self.facts else None,
        }


def check_video(
    path: Path,
    standard: str = "web",
    *,
    size: tuple[int, int] | None = None,
    duration: float | None = None,
    ffmpeg: str | None = None,
) -> Report:
    """Check a video against a delivery standard ('web', 'ebu' or 'jp-tv'); `size` (width,
    height) and `duration` (seconds, to the frame) are required exactly when given.
    Raises CheckError when the file is missing, not a video or undecodable; a video that
    breaks the rules is a Report whose failing lines say why."""
    facts = measure(path, ffmpeg)
    return Report(path, standard, tuple(judge(facts, STANDARDS[standard], size, duration)), facts)


# --- measuring -------------------------------------------------------------------------------


def measure(path: Path, ffmpeg: str | None = None) -> Facts:
    """Stream facts from PyAV while one FFmpeg pass decodes picture and sound."""
    import av

    from .media.ffmpeg import ffmpeg_binary
    from .media.probe import ProbeError, probe

    try:
        info = probe(path)
    except ProbeError as exc:
        why = str(exc)
        if why.startswith("not a readable media file"):
            why = "not a video (FFmpeg cannot read it)"
        raise CheckError(f"{path}: {why}") from None
    if info.kind != "video":
        raise CheckError(f"{path}: not a video (no video stream)")
    # no capability check (it costs three FFmpeg runs): a missing filter fails the run below
    argv = analysis_argv(ffmpeg or ffmpeg_binary(), path, info.has_audio)
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        raise FFmpegMissing(argv[0], [f"a runnable ffmpeg ({exc})"]) from None
    try:
        streams = _streams(path, (info.width, info.height))  # while FFmpeg decodes
        _, err = proc.communicate()
    except BaseException as exc:
        proc.kill()
        proc.wait()
        if isinstance(exc, av.FFmpegError):  # damaged after the first frame
            raise CheckError(f"{path}: not readable to the end ({exc})") from None
        raise
    stderr = err.decode("utf-8", "replace")
    if proc.returncode != 0:
        tail = "\n  ".join(stderr.strip().splitlines()[-3:])
        raise CheckError(f"{path}: FFmpeg could not decode it:\n  {tail}")
    if not info.has_audio:
        return Facts(**streams, blacks=tuple(parse_blackdetect(stderr)))
    samples = parse_samples(stderr)
    rate = streams["audio_rate"]
    audio_seconds = samples / rate if samples is not None and rate else streams["audio_seconds"]
    try:
        loudness = parse_ebur128(stderr)
    except ValueError:
        loudness = None
    streams["audio_seconds"] = audio_seconds
    return Facts(
        **streams,
        loudness=loudness,
        silences=tuple(parse_silencedetect(stderr, audio_seconds)),
        blacks=tuple(parse_blackdetect(stderr)),
    )


def analysis_argv(ffmpeg: str, path: Path, audio: bool) -> list[str]:
    """One decoding pass: blackdetect on the picture; sample count, silences and loudness on
    the sound (astats and silencedetect first, at the file's own sample rate). Skipping the
    deblocking filter saves a tenth of the decoding and cannot turn a black frame grey."""
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-skip_loop_filter", "all"]
    argv += ["-i", str(path)]
    argv += ["-map", "0:v:0", "-vf", "blackdetect=d=0:pix_th=0.10"]
    if audio:
        chain = (
            "astats=measure_perchannel=none:measure_overall=Number_of_samples,"
            f"silencedetect=noise={SILENCE_DB:g}dB:d=0.05,{EBUR128}"
        )
        argv += ["-map", "0:a:0", "-af", chain]
    return [*argv, "-f", "null", "-"]


_COLOUR_NAMES = (  # FFmpeg's numbers for primaries, transfer, matrix and range
    {1: "bt709", 4: "bt470m", 5: "bt470bg", 6: "smpte170m", 7: "smpte240m", 9: "bt2020"},
    {1: "bt709", 6: "smpte170m", 8: "linear", 13: "srgb", 16: "smpte2084", 18: "arib-std-b67"},
    {0: "gbr", 1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020nc", 10: "bt2020c"},
    {1: "tv", 2: "pc"},
)


def _colour(values: tuple) -> tuple[str, str, str, str]:
    out = []
    for names, v in zip(_COLOUR_NAMES, values):
        n = int(v or 0)
        out.append(names.get(n, "unset" if n in (0, 2) else str(n)))  # 0, 2: unspecified
    return tuple(out)  # type: ignore[return-value]


def _streams(path: Path, shown_size: tuple[int, int]) -> dict:
    import av

    with av.open(str(path)) as c:
        v = c.streams.video[0]
        a = c.streams.audio[0] if c.streams.audio else None
        cc = v.codec_context
        tb = float(v.time_base or 0)
        times = sorted(p.pts for p in c.demux(v) if p.size and p.pts is not None)
        first = times[0] if times else 0
        cadence = frame_cadence([(t - first) * tb for t in times], tb)
        if v.duration and tb:
            video_seconds = float(v.duration * v.time_base)
        else:
            video_seconds = cadence.frames / cadence.fps if cadence.fps else 0.0
        d = dict(
            width=shown_size[0],
            height=shown_size[1],
            codec=cc.name,
            pix_fmt=str(cc.pix_fmt or ""),
            colour=_colour((cc.color_primaries, cc.color_trc, cc.colorspace, cc.color_range)),
            cadence=cadence,
            video_seconds=video_seconds,
        )
        if a is not None:
            acc = a.codec_context
            d.update(audio_codec=acc.name, audio_rate=acc.sample_rate, audio_channels=acc.channels)
            if a.duration and a.time_base:
                d["audio_seconds"] = float(a.duration * a.time_base)
        return d


# --- pure parsing ----------------------------------------------------------------------------


def frame_cadence(times: list[float], tick: float = 0.0) -> Cadence:
    """Constant frame rate when every gap is the mean gap give or take one time-base tick
    (containers round timestamps: 29.97 fps in milliseconds is 33, 33, 34 ms) and 0.2 %."""
    if len(times) < 2 or times[-1] <= times[0]:
        return Cadence(len(times), 0.0, False, 0.0, 0.0)
    gaps = [b - a for a, b in zip(times, times[1:])]
    mean = (times[-1] - times[0]) / len(gaps)
    constant = all(abs(g - mean) <= tick + mean * 0.002 + 1e-9 for g in gaps)
    return Cadence(len(times), 1 / mean, constant, min(gaps), max(gaps))


def parse_blackdetect(stderr: str) -> list[tuple[float, float]]:
    pat = r"black_start:\s*(-?[\d.]+)\s+black_end:\s*(-?[\d.]+)"
    return [(float(a), float(b)) for a, b in re.findall(pat, stderr)]


def parse_silencedetect(stderr: str, end: float) -> list[tuple[float, float]]:
    """Silent stretches; one still open when the sound ends lasts until `end`."""
    runs: list[tuple[float, float]] = []
    start = None
    for kind, value in re.findall(r"silence_(start|end):\s*(-?[\d.]+(?:e-?\d+)?)", stderr):
        if kind == "start":
            start = float(value)
        elif start is not None:
            runs.append((max(0.0, start), float(value)))
            start = None
    if start is not None:
        runs.append((max(0.0, start), end))
    return runs


def parse_samples(stderr: str) -> int | None:
    m = re.search(r"Number of samples:\s*(\d+)", stderr)
    return int(m.group(1)) if m else None


# --- judging (pure) --------------------------------------------------------------------------


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
        ntsc = abs(c.fps - 30000 / 1001) < 0.01
        note = "Japanese broadcast runs at 29.97 fps" if std.silent_ends and not ntsc else ""
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
    target = f"{std.loudness:g} ±{std.tolerance:g} {std.unit}"
    tp_expected, lra_expected = f"≤ {TRUE_PEAK_MAX:g} dBTP", f"≤ {LRA_MAX:g} LU"
    m = f.loudness
    if m is None:
        pairs = (("loudness", target), ("true peak", tp_expected), ("loudness range", lra_expected))
        return [Line(n, "not measured", e, False) for n, e in pairs]
    off = m.integrated - std.loudness
    ok = abs(off) <= std.tolerance
    note = "" if ok else f"too {'loud' if off > 0 else 'quiet'} by {abs(off):.1f} LU: "
    note += "" if ok else f"apply {-off:+.1f} dB (then mind the true peak)"
    loud = Line("loudness", f"{m.integrated:.1f} {std.unit}", target, ok, note)
    if m.integrated <= -70:
        loud = Line("loudness", "silent", target, False, "everything is below the -70 LUFS gate")
    tp_ok = m.true_peak <= TRUE_PEAK_MAX
    tp_note = "" if tp_ok else f"{m.true_peak - TRUE_PEAK_MAX:.1f} dB over: use a true-peak limiter"
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
    expected = f"≥ {EDGE:g} s below {SILENCE_DB:g} dBFS" if std.silent_ends else "reported only"
    why = "stations cut between commercials there: "
    lines = []
    for name, silent, loud, hint in (
        ("head", head, "sound at the very start", "start the sound later"),
        ("tail", tail, "sound up to the end", "fade out earlier and pad with silence"),
    ):
        value = f"{'first' if name == 'head' else 'last'} {silent:.2f} s silent" if silent else loud
        value = "silent throughout" if silent >= end - eps else value
        ok = silent >= EDGE - 1e-3 or not std.silent_ends
        lines.append(Line(f"{name} silence", value, expected, ok, "" if ok else why + hint))
    return lines
