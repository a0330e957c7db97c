"""The TV commercial master made from a rendered ad: the leader, the CM conformed to 29.97
and interlaced, XDCAM HD422 in MXF OP1a, with its sidecar (JSON and a printable PNG).

The picture: the ad's 30 fps frames are given 29.97 fps timestamps one for one (450 frames
stay 450 frames), scaled to 1920x1080 in 4:2:2, made into a 59.94p sequence and woven into
top-field-first fields by `tinterlace` (with its vertical low-pass, against line twitter);
the bars come from FFmpeg's `smptehdbars` (SMPTE RP 219, the pattern ARIB STD-B28 shares).
The sound: resampled 48000 -> 48048 Hz and read back as 48000 Hz, so it stays in step with the
slowed picture (0.1 % lower, as every 30 -> 29.97 conform does); the CM's first and last 15
frames made digitally silent with a short fade on each side of them; a gain brings the CM to
-24 LKFS; written as 24-bit PCM, measured again (the credit card shows that measurement), and
the master is checked by `check_master` before it replaces anything.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..atomic import tag
from ..media.ffmpeg import ffmpeg_binary, read_output, run_ffmpeg
from ..media.loudness import EBUR128, parse_ebur128
from .tvmaster import (
    AUDIO_RATE,
    B_FRAMES,
    CM_TIMECODE,
    FPS,
    GOP,
    LOUDNESS,
    SPEC,
    TONE_DBFS,
    TONE_HZ,
    TvSpec,
    frames_tc,
    tc_frames,
)
from .tvmaster_paper import draw_card, draw_summary

EDGE_FADE = 0.25  # s of fade after the silent head and before the silent tail (as jp-tv)


@dataclass(frozen=True)
class MasterInfo:
    """What the credit card and the sidecar say about the CM."""

    code: str
    advertiser: str
    title: str
    variant: str
    frames: int  # the CM's frames (450 or 900)
    source: str = ""  # the web file it was made from


@dataclass
class Master:
    path: Path
    sidecar: Path
    summary: Path
    loudness: float
    report: object = None
    data: dict = field(default_factory=dict)


def _samples(frames: int) -> int:
    return round(AUDIO_RATE * frames / FPS)


def cm_sound(frames: int, spec: TvSpec, gain_db: float = 0.0) -> str:
    """The CM's sound graph: conformed, exact length, silent edges, faded, `gain_db` applied."""
    n = _samples(frames)
    t0, t1 = spec.seconds(spec.edge_silent), spec.seconds(frames - spec.edge_silent)
    fade = min(EDGE_FADE, (t1 - t0) / 4)
    return (
        f"[0:a:0]aresample={round(AUDIO_RATE * 1.001)},asetrate={AUDIO_RATE},"
        "aformat=sample_fmts=flt:channel_layouts=stereo,"
        f"apad=whole_len={n},atrim=end_sample={n},"
        f"afade=t=in:st={t0:.6f}:d={fade:.6f},afade=t=out:st={t1 - fade:.6f}:d={fade:.6f},"
        f"volume={gain_db:.3f}dB"
    )


def _measure(ff: str, inputs: list[str], graph: str):  # noqa: ANN202
    _, err = read_output([ff, *inputs, "-filter_complex", f"{graph},{EBUR128}", "-f", "null", "-"])
    return parse_ebur128(err)


def build_master(
    web: Path,
    out: Path,
    info: MasterInfo,
    spec: TvSpec = SPEC,
    ffmpeg: str | None = None,
    on_progress=None,  # noqa: ANN001
) -> Master:
    """Write the master `out` (.mxf) and its sidecar beside it; returns where and what."""
    from .tvmaster_check import check_master

    ff = ffmpeg or ffmpeg_binary()
    out.parent.mkdir(parents=True, exist_ok=True)
    work, card, partial = (
        out.with_name(f".{out.stem}.{tag()}{x}") for x in (".wav", ".png", ".mxf")
    )
    raw = _measure(ff, ["-i", str(web)], cm_sound(info.frames, spec))
    gain = LOUDNESS.target - raw.integrated if raw.integrated > -70 else 0.0
    graph = cm_sound(info.frames, spec, gain)
    run_ffmpeg([ff, "-y", "-i", str(web), "-filter_complex", graph, "-c:a", "pcm_s24le", str(work)])
    try:
        loud = _measure(ff, ["-i", str(work)], "[0:a]anull")  # the samples the master carries
        draw_card(info, loud.integrated, spec).save(card)
        run_ffmpeg(
            master_argv(ff, web, card, work, partial, info, spec),
            total_frames=spec.leader + info.frames + spec.tail,
            fps=float(FPS),
            on_progress=on_progress,
        )
    finally:
        work.unlink(missing_ok=True)
    card.unlink(missing_ok=True)
    try:
        report = replace(check_master(partial, spec, ff), path=out)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    data = sidecar_data(out, info, spec, loud, report)
    side = out.with_suffix(".json")
    side.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    summary = out.with_name(out.stem + "-summary.png")
    draw_summary(data, report).save(summary)
    return Master(out, side, summary, loud.integrated, report, data)


def master_argv(
    ff: str, web: Path, card: Path, wav: Path, out: Path, info: MasterInfo, spec: TvSpec
) -> list[str]:
    """The one FFmpeg run that writes the master (59.94p pictures woven into fields)."""
    w, h = spec.width, spec.height
    r2 = "60000/1001"
    yuv = f"scale={w}:{h}:flags=lanczos:out_color_matrix=bt709:out_range=tv,format=yuv422p"
    amp = 10 ** (TONE_DBFS / 20)
    tone = f"{amp:.6f}*sin(2*PI*{TONE_HZ}*t)"
    graph = ";".join(
        [
            f"smptehdbars=s={w}x{h}:r={r2},trim=end_frame={2 * spec.bars},format=yuv422p[bars]",
            f"[1:v]fps={r2},{yuv},trim=end_frame={2 * spec.card},setpts=N/({r2})/TB[card]",
            f"[0:v]setpts=N/(30000/1001)/TB,tpad=stop=2:stop_mode=clone,fps={r2},{yuv},"
            f"trim=end_frame={2 * info.frames},tpad=start={2 * spec.hold}:stop={2 * spec.tail}"
            ":start_mode=clone:stop_mode=clone[cm]",
            "[bars][card][cm]concat=n=3:v=1:a=0,"
            "tinterlace=mode=interleave_top:flags=cvlpf,setfield=tff,format=yuv422p[v]",
            f"aevalsrc={tone}|{tone}:s={AUDIO_RATE},atrim=end_sample={_samples(spec.bars)}[tone]",
            f"aevalsrc=0|0:s={AUDIO_RATE},atrim=end_sample={_samples(spec.card + spec.hold)}[gap]",
            f"aevalsrc=0|0:s={AUDIO_RATE},atrim=end_sample={_samples(spec.tail)}[end]",
            "[2:a]aformat=sample_fmts=flt:channel_layouts=stereo[prog]",
            "[tone][gap][prog][end]concat=n=4:v=0:a=1,channelsplit=channel_layout=stereo[L][R]",
        ]
    )
    return [
        ff, "-y", "-i", str(web), "-loop", "1", "-framerate", "30000/1001", "-i", str(card),
        "-i", str(wav), "-filter_complex", graph,
        "-map", "[v]", "-map", "[L]", "-map", "[R]",
        *video_options(spec),
        "-c:a", "pcm_s24le", "-ar", str(AUDIO_RATE),
        "-timecode", spec.start_timecode,
        "-metadata", f"material_package_name={info.code}",
        "-f", "mxf", str(out),
    ]  # fmt: skip


def video_options(spec: TvSpec = SPEC) -> list[str]:
    """XDCAM MPEG HD422 in FFmpeg's words: MPEG-2 422P@HL, constant 50 Mb/s, GOP 12 with two
    B frames, interlaced (field) DCT and motion, BT.709 tags."""
    b = str(spec.bitrate)
    return [
        "-c:v", "mpeg2video", "-profile:v", "0", "-level:v", "2", "-pix_fmt", "yuv422p",
        "-b:v", b, "-minrate", b, "-maxrate", b, "-bufsize", "17825792",
        "-rc_init_occupancy", "17825792", "-g", str(GOP), "-bf", str(B_FRAMES),
        "-flags", "+ilme+ildct", "-alternate_scan", "1", "-intra_vlc", "1",
        "-non_linear_quant", "1", "-dc", "10", "-qmin", "1", "-qmax", "12",
        "-sc_threshold", "1000000000", "-field_order", "tt",
        "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709",
    ]  # fmt: skip


def sidecar_data(out: Path, info: MasterInfo, spec: TvSpec, loud, report) -> dict:  # noqa: ANN001
    cm0 = tc_frames(CM_TIMECODE)
    return {
        "cm_code": info.code,
        "advertiser": info.advertiser,
        "title": info.title,
        "variant": info.variant,
        "length_seconds": round(info.frames / 30),
        "cm_frames": info.frames,
        "file": out.name,
        "file_bytes": out.stat().st_size,
        "format": "XDCAM MPEG HD422 50 Mb/s, MXF OP1a, 1080/59.94i TFF, LPCM 48 kHz 24-bit",
        "timecode": {
            "file_start": spec.start_timecode,
            "cm_in": CM_TIMECODE,
            "cm_out": frames_tc(cm0 + info.frames - 1),
            "file_end": frames_tc(cm0 + info.frames + spec.tail - 1),
            "drop_frame": True,
        },
        "leader": {
            "bars_and_tone_s": round(spec.seconds(spec.bars), 3),
            "tone": f"{TONE_HZ} Hz {TONE_DBFS:g} dBFS",
            "credit_card_s": round(spec.seconds(spec.card), 3),
            "first_picture_held_s": round(spec.seconds(spec.hold), 3),
            "last_picture_held_s": round(spec.seconds(spec.tail), 3),
        },
        "loudness_lkfs": round(loud.integrated, 1),
        "true_peak_dbtp": round(loud.true_peak, 1),
        "source": info.source,
        "notes": [
            f"true peak {loud.true_peak:.1f} dBTP is above {LOUDNESS.true_peak:g} dBTP: "
            "lower the mix's peaks (the gain to -24 LKFS raised them)"
        ]
        if loud.true_peak > LOUDNESS.true_peak
        else [],
        "check": {"ok": report.ok, "failures": [x.name for x in report.failures]},
    }
