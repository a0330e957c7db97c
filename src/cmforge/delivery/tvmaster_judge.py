"""The TV master's rules: measured `MasterFacts` in, one report line per rule out (pure, so
every rule is tested on plain data too). The figures are tvmaster.py's."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from .facts import SILENCE_DB
from .judge import Line
from .tvmaster import (
    AUDIO_BITS,
    AUDIO_CHANNELS,
    AUDIO_CODEC,
    AUDIO_RATE,
    BITRATE_SLACK,
    CM_TIMECODE,
    CODE_RE,
    FIELD_ORDER,
    FPS,
    LOUDNESS,
    OP1A_UL,
    PIX_FMT,
    TONE_DBFS,
    TONE_HZ,
    VIDEO_CODEC,
    VIDEO_PROFILE,
    TvSpec,
    code_problem,
    frames_tc,
    is_drop_frame,
    tc_frames,
)
from .tvmaster_check import TONE_TOLERANCE, MasterFacts


def _s(spec: TvSpec, frames: int) -> str:
    return f"{spec.seconds(frames):.2f} s"


def judge_master(f: MasterFacts, spec: TvSpec) -> list[Line]:
    cm = f.frames - f.cm_start - spec.tail if f.cm_start >= 0 else 0
    mbps = f.bitrate / 1e6
    sound = [f"{c} {r / 1000:g} kHz {b}-bit x{n}" for c, r, n, b in f.audio[:1]]
    channels = sum(n for _c, _r, n, _b in f.audio)
    sound_ok = bool(f.audio) and all(
        c == AUDIO_CODEC and r == AUDIO_RATE and b == AUDIO_BITS for c, r, _n, b in f.audio
    )
    tc_ok = is_drop_frame(f.timecode) and f.timecode == spec.start_timecode
    lines = [
        Line(
            "container",
            f"{f.container} {'OP1a' if f.pattern == OP1A_UL else f.pattern or 'no OP'}",
            "MXF OP1a",
            "mxf" in f.container and f.pattern == OP1A_UL,
        ),
        Line(
            "video codec",
            f"{f.codec} {mbps:.1f} Mb/s",
            f"XDCAM HD422: MPEG-2 {spec.bitrate / 1e6:g} Mb/s",
            f.codec == VIDEO_CODEC
            and abs(f.bitrate - spec.bitrate) <= BITRATE_SLACK * spec.bitrate,
        ),
        Line(
            "chroma",
            f"{f.pix_fmt}, profile {f.profile or '?'}",
            f"4:2:2 ({PIX_FMT}, {VIDEO_PROFILE} profile)",
            f.pix_fmt == PIX_FMT and f.profile == VIDEO_PROFILE,
        ),
        Line(
            "picture",
            f"{f.width}x{f.height} {f.aspect}",
            f"{spec.width}x{spec.height} 16:9",
            (f.width, f.height) == (spec.width, spec.height) and f.aspect == "16:9",
        ),
        Line(
            "frame rate",
            f"{float(Fraction(f.fps)) if f.fps else 0:.3f} fps",
            "29.970 fps (30000/1001)",
            bool(f.fps) and Fraction(f.fps) == FPS,
        ),
        Line(
            "field order",
            {"tt": "interlaced, top first", "bb": "interlaced, bottom first"}.get(
                f.field_order, f.field_order or "?"
            ),
            "interlaced, top field first",
            f.field_order == FIELD_ORDER,
        ),
        Line(
            "timecode",
            f"starts {f.timecode or 'none'}" + (" (DF)" if is_drop_frame(f.timecode) else ""),
            f"drop-frame, {spec.start_timecode} (the CM at {CM_TIMECODE})",
            tc_ok,
        ),
        Line(
            "sound format",
            f"{', '.join(sound) or 'none'}; {len(f.audio)} track(s), {channels} ch",
            f"LPCM {AUDIO_RATE // 1000} kHz {AUDIO_BITS}-bit, {AUDIO_CHANNELS}+ channels",
            sound_ok and channels >= AUDIO_CHANNELS,
        ),
    ]
    bars_ok = f.bars == spec.bars and f.tone == spec.bars
    level_ok = abs(f.tone_dbfs - TONE_DBFS) <= TONE_TOLERANCE
    lines.append(
        Line(
            "bars and tone",
            f"bars {_s(spec, f.bars)}, tone {_s(spec, f.tone)} at {f.tone_dbfs:.1f} dBFS",
            f"{_s(spec, spec.bars)} bars + {TONE_HZ} Hz at {TONE_DBFS:g} dBFS",
            bool(bars_ok and level_ok),
        )
    )
    card, still = f.card
    lines.append(
        Line(
            "credit card",
            f"{_s(spec, card)}" + ("" if still else " (black or missing)"),
            f"{_s(spec, spec.card)}, one picture, silent",
            card == spec.card and still and f.silent[0],
            "" if f.silent[0] else "sound between the tone and the CM",
        )
    )
    lines.append(
        Line(
            "first picture held",
            _s(spec, f.hold),
            f"{_s(spec, spec.hold)} before {CM_TIMECODE}",
            f.hold == spec.hold and f.bars + card + f.hold == f.cm_start,
        )
    )
    lines.append(
        Line(
            "CM length",
            f"{cm} frames ({cm / 30:.1f} s)",
            " or ".join(f"{n} frames" for n in spec.lengths),
            cm in spec.lengths,
            f"the CM: {CM_TIMECODE} to {frames_tc(tc_frames(CM_TIMECODE) + cm - 1)} inclusive"
            if cm
            else "",
        )
    )
    tail, black = f.tail
    lines.append(
        Line(
            "last picture held",
            _s(spec, tail) + (", ends in black" if black else ""),
            f"{_s(spec, spec.tail)}, silent, nothing after",
            tail == spec.tail and not black and f.silent[1],
            "" if f.silent[1] else "sound after the CM",
        )
    )
    head_db, tail_db = f.edge_db
    found = f.cm_start > 0 and cm > 0  # the CM is where the timecode says, inside the file
    lines.append(
        Line(
            "edge silence",
            f"first {_dbfs(head_db)}, last {_dbfs(tail_db)}" if found else "no CM found",
            f"{spec.edge_silent} frames each end under {SILENCE_DB:g} dBFS",
            found and head_db <= SILENCE_DB and tail_db <= SILENCE_DB,
        )
    )
    lines.append(
        Line(
            "loudness",
            "not measured" if f.loudness is None else f"{f.loudness:.1f} LKFS (the CM only)",
            f"{LOUDNESS.target:g} LKFS ±{LOUDNESS.tolerance:g}",
            f.loudness is not None and LOUDNESS.loudness_ok(round(f.loudness, 1)),
        )
    )
    why = "; ".join(x for x in f.edges if x) if found else "no CM found"
    lines.append(Line("CM edges", why or "no black, no fade", "no fade from or to black", not why))
    lines.append(
        Line(
            "CM code",
            f.code or "none",
            "10 characters: 4 advertiser + 6 material, A-Z 0-9 without I and O",
            bool(CODE_RE.match(f.code)),
            code_problem(f.code) if f.code else "the MXF's material package name is the CM code",
        )
    )
    return [replace(x, ok=bool(x.ok)) for x in lines]  # numpy's booleans are not JSON


def _dbfs(x: float) -> str:
    return "silent" if x == float("-inf") else f"{x:.1f} dBFS"
