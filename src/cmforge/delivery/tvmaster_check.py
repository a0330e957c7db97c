"""`cmforge check MASTER.mxf --standard jp-tv-cm`: a TV commercial master judged from the file
alone, by the figures in tvmaster.py.

Three looks at the file: PyAV reads the container and stream facts (operational pattern,
timecode, CM code, codec, profile, size, rate, sound format, packets); one FFmpeg run decodes
every picture to a 64x36 grey thumbnail (leader, holds, black and fades are judged on those)
and logs each picture's field flags (showinfo); one FFmpeg run decodes the sound to samples
while ebur128 measures the CM part alone. Where the CM is comes from the timecode: the frame
labelled 01:00:00;00. The judging (`judge_master`) is pure, on the measured `MasterFacts`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from .facts import SILENCE_DB
from .judge import Report
from .tvmaster import AUDIO_RATE, CM_TIMECODE, FPS, NAME, SPEC, TONE_HZ, TvSpec, tc_frames

THUMB = (64, 36)  # grey thumbnails the picture rules look at
SAME = 3.0  # mean absolute difference (8-bit) under which two thumbnails are the same picture
BARS_MATCH = 12.0  # ... under which a thumbnail is the colour bars
BLACK_Y = 16 + 0.10 * 219  # a pixel darker than 10 % of video range is black (blackdetect)
BLACK_SHARE = 0.98  # a frame with 98 % black pixels is black
FADE_RATIO = 0.5  # an edge frame under half the brightness a moment inside is a fade
TONE_TOLERANCE = 1.0  # dB either side of the reference tone level
TONE_BIN = 20.0  # Hz: the tone's strongest frequency within this of 1 kHz


@dataclass(frozen=True)
class MasterFacts:
    container: str = ""
    pattern: str = ""  # the MXF operational pattern's UL
    timecode: str = ""
    code: str = ""  # material_package_name (the CM code)
    codec: str = ""
    profile: str = ""
    pix_fmt: str = ""
    width: int = 0
    height: int = 0
    aspect: str = ""
    fps: str = ""
    bitrate: float = 0.0
    field_order: str = ""
    audio: tuple[tuple[str, int, int, int], ...] = ()  # (codec, rate, channels, bits) a track
    frames: int = 0
    cm_start: int = -1  # the frame at 01:00:00;00
    bars: int = 0  # leading frames that are the colour bars
    tone: int = 0  # leading frames with the reference tone
    tone_dbfs: float = float("-inf")
    card: tuple[int, bool] = (0, False)  # frames of one picture after the bars; not black
    hold: int = 0  # frames before the CM that are its first picture
    tail: tuple[int, bool] = (0, False)  # frames after the CM that are its last; ends black
    silent: tuple[bool, bool] = (False, False)  # from the tone's end to the CM; after the CM
    edge_db: tuple[float, float] = (0.0, 0.0)  # loudest sample of the first/last edge frames
    loudness: float | None = None
    true_peak: float | None = None
    edges: tuple[str, str] = ("", "")  # '' or why the CM's first/last frame is black/a fade
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict:
        def plain(x):  # noqa: ANN001, ANN202 - JSON has no infinity: silence is None
            x = x.item() if isinstance(x, np.generic) else x
            if isinstance(x, float) and not np.isfinite(x):
                return None
            return [plain(y) for y in x] if isinstance(x, (list, tuple)) else x

        return {k: plain(v) for k, v in asdict(self).items()}


def check_master(path: Path, spec: TvSpec = SPEC, ffmpeg: str | None = None) -> Report:
    """The report for a master; raises CheckError (from check.py) when it cannot be read."""
    facts = measure_master(path, spec, ffmpeg)
    from .tvmaster_judge import judge_master

    return Report(path, NAME, tuple(judge_master(facts, spec)), facts)  # type: ignore[arg-type]


def measure_master(path: Path, spec: TvSpec = SPEC, ffmpeg: str | None = None) -> MasterFacts:
    import av

    from ..errors import shown_path
    from ..media.ffmpeg import ffmpeg_binary, read_output
    from .check import CheckError

    ff = ffmpeg or ffmpeg_binary()
    try:
        d = _streams(path)
    except (av.FFmpegError, IndexError, OSError) as exc:
        raise CheckError(f"{shown_path(path)}: not a video FFmpeg can read ({exc})") from None
    w, h = THUMB
    try:
        raw, err = read_output(
            [ff, "-i", str(path), "-map", "0:v:0", "-vf"]
            + [f"showinfo,scale={w}:{h}:flags=area,format=gray", "-f", "rawvideo", "-"]
        )
    except Exception as exc:  # RenderError: damaged
        raise CheckError(f"{shown_path(path)}: FFmpeg could not decode it ({exc})") from None
    # the pictures' own flags (showinfo's i:T/B/P per frame), not what a wrapper declares
    kinds = set(re.findall(r"\bi:([PTB])\b", err))
    d["field_order"] = {"T": "tt", "B": "bb", "P": "progressive"}.get(
        kinds.pop() if len(kinds) == 1 else "", "mixed" if kinds else "?"
    )
    thumbs = np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.float32)
    d["frames"] = len(thumbs)
    start = tc_frames(CM_TIMECODE) - tc_frames(d["timecode"]) if d["timecode"] else spec.leader
    d["cm_start"] = start
    cm_end = len(thumbs) - spec.tail  # the CM's frames are [start, cm_end)
    samples, loud = _sound(ff, path, d["audio"], start, cm_end)
    d.update(_pictures(thumbs, spec, start, cm_end, _bars(ff)))
    d.update(_sounds(samples, spec, start, cm_end, len(thumbs)))
    if loud is not None:
        d["loudness"], d["true_peak"] = loud.integrated, loud.true_peak
    return MasterFacts(**d)


def _streams(path: Path) -> dict:
    import av

    with av.open(str(path)) as c:
        v = c.streams.video[0]
        meta = {k.lower(): val for k, val in c.metadata.items()}  # Matroska tags are capitals
        for s in c.streams:
            meta.update({k.lower(): val for k, val in s.metadata.items() if k not in meta})
        cc = v.codec_context
        audio = tuple(
            (
                a.codec_context.name,
                a.codec_context.sample_rate,
                a.codec_context.channels,
                24 if "24" in a.codec_context.name else a.format.bits,
            )
            for a in c.streams.audio
        )
        sizes = [p.size for p in c.demux(v) if p.size]
        rate = Fraction(v.average_rate or 0)
        seconds = len(sizes) / rate if rate else 0  # the bit rate over the pictures' time
        dar = v.display_aspect_ratio or Fraction(v.width, v.height or 1)
        return dict(
            container=c.format.name,
            pattern=meta.get("operational_pattern_ul", ""),
            timecode=meta.get("timecode", ""),
            code=meta.get("material_package_name", ""),
            codec=cc.name,
            profile=str(cc.profile or ""),
            pix_fmt=str(cc.pix_fmt or ""),
            width=v.width,
            height=v.height,
            aspect=f"{dar.numerator}:{dar.denominator}",
            fps=f"{rate.numerator}/{rate.denominator}" if rate else "",
            bitrate=float(sum(sizes) * 8 / seconds) if seconds else 0.0,
            audio=audio,
        )


def _bars(ff: str) -> np.ndarray:
    """A thumbnail of FFmpeg's SMPTE RP 219 / ARIB STD-B28 colour bars, to compare with."""
    from ..media.ffmpeg import read_output

    w, h = THUMB
    raw, _ = read_output(
        [ff, "-f", "lavfi", "-i", "smptehdbars=s=1920x1080:d=0.04", "-frames:v", "1"]
        + ["-vf", f"scale={w}:{h}:flags=area,format=gray", "-f", "rawvideo", "-"]
    )
    return np.frombuffer(raw, np.uint8).reshape(h, w).astype(np.float32)


def _sound(ff: str, path: Path, tracks: tuple, start: int, end: int):  # noqa: ANN202
    """The programme's samples (stereo float at the file's rate: the first two mono tracks,
    or the first track) and ebur128 over the CM's frames alone."""
    from ..media.ffmpeg import read_output
    from ..media.loudness import EBUR128, parse_ebur128

    if not tracks:
        return np.zeros((0, 2), np.float32), None
    rate = tracks[0][1] or AUDIO_RATE
    a, b = (rate * start / FPS), (rate * end / FPS)
    if len(tracks) >= 2 and tracks[0][2] == 1:
        src = "[0:a:0][0:a:1]amerge=inputs=2"
    else:
        src = "[0:a:0]aformat=channel_layouts=stereo"
    graph = f"{src},aformat=sample_fmts=flt"
    loudness = []
    if 0 <= a < b:  # the CM is where the timecode says: ebur128 over it alone
        graph += f",asplit[p][m];[m]atrim=start_sample={round(a)}:end_sample={round(b)},"
        graph += f"{EBUR128}[mo]"
        loudness = ["-map", "[mo]", "-f", "null", "-"]
    else:
        graph += "[p]"
    raw, err = read_output(
        [ff, "-i", str(path), "-filter_complex", graph, "-map", "[p]", "-f", "f32le", "-"]
        + loudness
    )
    try:
        loud = parse_ebur128(err)
    except ValueError:
        loud = None
    return np.frombuffer(raw, np.float32).reshape(-1, 2), loud


def _black(t: np.ndarray) -> bool:
    return float((t <= BLACK_Y).mean()) >= BLACK_SHARE


def _run(thumbs: np.ndarray, ref: np.ndarray, lo: int, hi: int) -> int:
    """How many frames from lo (up to hi) look like ref."""
    n = 0
    for t in thumbs[lo:hi]:
        if np.abs(t - ref).mean() > SAME:
            break
        n += 1
    return n


def _pictures(thumbs: np.ndarray, spec: TvSpec, start: int, end: int, bars: np.ndarray) -> dict:
    n = len(thumbs)
    if not (0 < start < end <= n):
        return {"notes": ("the CM's first frame (01:00:00;00) is not inside the file",)}
    d = {}
    d["bars"] = next((i for i, t in enumerate(thumbs) if np.abs(t - bars).mean() > BARS_MATCH), n)
    c0 = d["bars"]
    card = _run(thumbs, thumbs[c0], c0, start) if c0 < start else 0
    still = card > 0 and not _black(thumbs[c0])
    d["card"] = (card, still)
    first, last = thumbs[start], thumbs[end - 1]
    # the held first picture: the frames before the CM that are its first frame
    hold = 0
    while hold < start and np.abs(thumbs[start - 1 - hold] - first).mean() <= SAME:
        hold += 1
    d["hold"] = hold
    d["tail"] = (_run(thumbs, last, end, n), _black(thumbs[-1]))
    inside = min(spec.edge_silent, (end - start) // 2)

    def edge(frame: np.ndarray, later: np.ndarray, which: str) -> str:
        if _black(frame):
            return f"the CM's {which} frame is black"
        y, y2 = float(frame.mean()) - 16, float(later.mean()) - 16
        if y2 > 0 and y < FADE_RATIO * y2:
            return f"the CM's {which} frame is {y / y2:.0%} as bright as {inside} frames inside"
        return ""

    d["edges"] = (
        edge(first, thumbs[start + inside], "first"),
        edge(last, thumbs[end - 1 - inside], "last"),
    )
    return d


def _db(x: np.ndarray) -> float:
    peak = float(np.abs(x).max()) if x.size else 0.0
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _sounds(s: np.ndarray, spec: TvSpec, start: int, end: int, frames: int) -> dict:
    """Tone length and level; silence of the card, holds and the CM's edge frames."""
    rate = AUDIO_RATE

    def at(f: int) -> int:
        return round(rate * f / FPS)

    d: dict = {}
    if not len(s):
        return d
    mono = s.mean(axis=1)
    tone = 0
    for f in range(frames):
        seg = mono[at(f) : at(f + 1)]
        if len(seg) < 16:
            break
        spectrum = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
        peak = np.fft.rfftfreq(len(seg), 1 / rate)[int(spectrum.argmax())]
        rms = float(np.sqrt(np.mean(seg**2)))
        if abs(peak - TONE_HZ) > max(TONE_BIN, rate / len(seg)) or rms < 1e-4:
            break
        tone += 1
    d["tone"] = tone
    if tone:
        seg = s[: at(tone)]
        d["tone_dbfs"] = 20 * np.log10(float(np.sqrt(2 * np.mean(seg**2))) or 1e-12)

    def silent(lo: int, hi: int) -> bool:
        return _db(s[at(lo) : at(hi)]) <= SILENCE_DB

    e = spec.edge_silent
    d["edge_db"] = (_db(s[at(start) : at(start + e)]), _db(s[at(end - e) : at(end)]))
    d["silent"] = (silent(tone, start), silent(end, frames))
    return d
