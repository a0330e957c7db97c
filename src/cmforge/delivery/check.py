"""Delivery lint for any video, ours or not: is this file fit to hand to a web platform, an
EBU broadcaster or a Japanese TV station?

Facts come from two looks at the file: PyAV reads the stream facts and every video packet's
timestamp (no decoding), and one FFmpeg run (through media/ffmpeg.py) decodes everything once
with blackdetect on the picture and astats + silencedetect + ebur128 on the sound. `judge`
(judge.py) turns those facts into report lines without touching the file, so every rule is
testable on plain data; the standards it judges by are the table in standards.py, the same
one a render masters to and its manifest reports against.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CmforgeError, RenderError, shown_path
from ..media.loudness import EBUR128, parse_ebur128
from .facts import (
    SILENCE_DB,
    Facts,
    frame_cadence,
    parse_blackdetect,
    parse_samples,
    parse_silencedetect,
)
from .judge import Report, judge
from .platform_rules import judge_platform
from .platforms import PLATFORMS
from .standards import STANDARDS


class CheckError(CmforgeError):
    """The file cannot be checked: missing, not a video, or undecodable."""

    exit_code = 2


def check_video(
    path: Path,
    standard: str = "web",
    *,
    size: tuple[int, int] | None = None,
    duration: float | None = None,
    ffmpeg: str | None = None,
    platforms: tuple[str, ...] = (),
) -> Report:
    """Check a video against a delivery standard (a name in STANDARDS: 'web', 'ebu',
    'jp-tv'); `size` (width, height) and `duration` (seconds, to the frame) are required
    exactly when given; each of `platforms` (names in PLATFORMS) adds its delivery rules.
    Raises CheckError when the file is missing, not a video or undecodable; a video that
    breaks the rules is a Report whose failing lines say why."""
    facts = measure(path, ffmpeg)
    lines = judge(facts, STANDARDS[standard], size, duration)
    for name in platforms:
        lines += judge_platform(facts, PLATFORMS[name])
    return Report(path, standard, tuple(lines), facts, tuple(platforms))


def measure(path: Path, ffmpeg: str | None = None) -> Facts:
    """Stream facts from PyAV while one FFmpeg pass decodes picture and sound."""
    import av

    from ..media.ffmpeg import ffmpeg_binary, run_analysis
    from ..media.probe import ProbeError, probe

    try:
        info = probe(path)
    except ProbeError as exc:
        why = str(exc)
        if why.startswith("not a readable media file"):
            why = "not a video (FFmpeg cannot read it)"
        raise CheckError(f"{shown_path(path)}: {why}") from None
    if info.kind != "video":
        raise CheckError(f"{shown_path(path)}: not a video (no video stream)")
    # no capability check (it costs three FFmpeg runs): a missing filter fails the run below
    argv = analysis_argv(ffmpeg or ffmpeg_binary(), path, info.has_audio)
    try:  # PyAV reads the stream facts while FFmpeg decodes
        stderr, streams = run_analysis(argv, lambda: _streams(path, (info.width, info.height)))
    except av.FFmpegError as exc:  # damaged after the first frame
        raise CheckError(f"{shown_path(path)}: not readable to the end ({exc})") from None
    except RenderError as exc:
        tail = "\n  ".join(exc.stderr_tail.strip().splitlines()[-3:])
        raise CheckError(f"{shown_path(path)}: FFmpeg could not decode it:\n  {tail}") from None
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
    argv = [ffmpeg, "-skip_loop_filter", "all", "-i", str(path)]
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
        times, audio_bytes = [], 0
        for p in c.demux(*(s for s in (v, a) if s is not None)):
            if p.stream is v and p.size and p.pts is not None:
                times.append(p.pts)
            elif p.stream is not v:
                audio_bytes += p.size
        times.sort()
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
            file_bytes=path.stat().st_size,
        )
        if a is not None:
            acc = a.codec_context
            d.update(audio_codec=acc.name, audio_rate=acc.sample_rate, audio_channels=acc.channels)
            if a.duration and a.time_base:
                d["audio_seconds"] = float(a.duration * a.time_base)
            seconds = d.get("audio_seconds") or video_seconds
            d["audio_kbps"] = audio_bytes * 8 / seconds / 1000 if seconds else 0.0
        return d
