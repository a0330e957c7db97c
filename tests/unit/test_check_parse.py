"""The delivery lint on plain data: FFmpeg's log parsed from canned text, rules judged on facts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from cmforge.delivery.facts import (
    Cadence,
    Facts,
    frame_cadence,
    parse_blackdetect,
    parse_samples,
    parse_silencedetect,
)
from cmforge.delivery.judge import Line, Report, judge
from cmforge.delivery.standards import STANDARDS
from cmforge.media.loudness import Loudness, parse_ebur128

# what FFmpeg 9 logs for a 4 s jp-tv clip (silent 0.75 s at both ends) and a clip with black
LOG = """\
[Parsed_silencedetect_1 @ 0x7f10c8002700] silence_start: 0
[Parsed_silencedetect_1 @ 0x7f10c8002700] silence_end: 0.750042 | silence_duration: 0.750042
[Parsed_blackdetect_0 @ 0x7f591c001c00] black_start:0 black_end:0.3 black_duration:0.3
[Parsed_blackdetect_0 @ 0x7f591c001c00] black_start:1.5 black_end:1.533333 black_duration:0.0333
[Parsed_silencedetect_1 @ 0x7f10c8002700] silence_start: 3.249979
[Parsed_blackdetect_0 @ 0x7f591c001c00] black_start:2.7 black_end:2.966667 black_duration:0.2667
[Parsed_astats_0 @ 0x7f10c8002280] Overall
[Parsed_astats_0 @ 0x7f10c8002280] Number of samples: 192000
[Parsed_ebur128_2 @ 0x7f10c8002b40] Summary:

  Integrated loudness:
    I:         -24.0 LUFS
    Threshold: -34.3 LUFS

  Loudness range:
    LRA:         0.4 LU
    Threshold: -44.6 LUFS
    LRA low:   -24.9 LUFS
    LRA high:  -24.5 LUFS

  True peak:
    Peak:      -23.5 dBFS
[Parsed_silencedetect_1 @ 0x7f10c8002700] silence_end: 4 | silence_duration: 0.750021
"""


def test_parse_the_one_pass_log() -> None:
    assert parse_blackdetect(LOG) == [(0.0, 0.3), (1.5, 1.533333), (2.7, 2.966667)]
    assert parse_silencedetect(LOG, 4.0) == [(0.0, 0.750042), (3.249979, 4.0)]
    assert parse_samples(LOG) == 192000
    assert parse_ebur128(LOG) == Loudness(-24.0, -23.5, 0.4)


def test_parse_edge_cases() -> None:
    # an FFmpeg that does not close a silence at the end of the stream; a negative start
    unclosed = "silence_start: -0.0213\nsilence_end: 0.6 | silence_duration: 0.62\n"
    unclosed += "silence_start: 1.25e-05\nsilence_start: 2.5\n"
    assert parse_silencedetect(unclosed, 3.0) == [(0.0, 0.6), (2.5, 3.0)]
    assert parse_samples("no astats here") is None
    assert parse_blackdetect("") == []


def test_frame_cadence() -> None:
    cfr = frame_cadence([i / 30 for i in range(60)], 1 / 15360)
    assert cfr.constant and cfr.frames == 60 and cfr.fps == pytest.approx(30)
    # 29.97 fps in a millisecond time base: 33 and 34 ms gaps are still constant
    ntsc = frame_cadence([round(i * 1001 / 30) / 1000 for i in range(300)], 0.001)
    assert ntsc.constant and ntsc.fps == pytest.approx(29.97, abs=0.01)
    vfr = frame_cadence([0, 1 / 30, 2 / 30, 4 / 30, 5 / 30, 7 / 30], 1 / 15360)
    assert not vfr.constant
    assert (vfr.shortest, vfr.longest) == pytest.approx((1 / 30, 2 / 30))
    assert frame_cadence([0.0]) == Cadence(1, 0.0, False, 0.0, 0.0)


GOOD = Facts(
    width=1080,
    height=1920,
    codec="h264",
    pix_fmt="yuv420p",
    colour=("bt709", "bt709", "bt709", "tv"),
    cadence=Cadence(450, 30.0, True, 1 / 30, 1 / 30),
    video_seconds=15.0,
    audio_codec="aac",
    audio_rate=48000,
    audio_channels=2,
    audio_seconds=15.0,
    loudness=Loudness(-14.0, -2.0, 3.0),
    silences=((0.0, 0.6), (14.4, 15.0)),
)


def failing(facts: Facts, standard: str = "web", **kw) -> dict[str, str]:
    """name -> note of every failing line."""
    return {x.name: x.note for x in judge(facts, STANDARDS[standard], **kw) if not x.ok}


def loud(integrated: float, peak: float = -2.0, lra: float = 3.0) -> Facts:
    return replace(GOOD, loudness=Loudness(integrated, peak, lra))


def test_a_good_file_passes_every_line() -> None:
    lines = judge(GOOD, STANDARDS["web"])
    assert [x.name for x in lines] == [
        "resolution", "frame rate", "frames", "duration", "codec", "pixel format", "colour",
        "black", "audio", "sample rate", "channels", "a/v length", "loudness", "true peak",
        "loudness range", "head silence", "tail silence",
    ]  # fmt: skip
    assert all(x.ok for x in lines)
    assert set(failing(GOOD, "jp-tv")) == {"loudness"}
    assert failing(loud(-24.0), "jp-tv", size=(1080, 1920), duration=15.0) == {}


def test_picture_rules() -> None:
    assert "odd sizes" in failing(replace(GOOD, width=1081))["resolution"]
    assert set(failing(GOOD, size=(1920, 1080))) == {"resolution"}
    assert set(failing(replace(GOOD, codec="vp9"))) == {"codec"}
    assert "full-range" in failing(replace(GOOD, pix_fmt="yuvj420p"))["pixel format"]
    untagged = failing(replace(GOOD, colour=("unset", "unset", "bt709", "tv")))
    assert "-color_primaries bt709" in untagged["colour"]
    hdr = failing(replace(GOOD, colour=("bt2020", "smpte2084", "bt2020nc", "tv")))
    assert "convert the colours" in hdr["colour"]
    assert set(failing(replace(GOOD, colour=("bt709", "bt709", "bt709", "pc")))) == {"colour"}
    vfr = replace(GOOD, cadence=Cadence(400, 26.7, False, 1 / 30, 1 / 15))
    assert set(failing(vfr)) == {"frame rate"}


def test_length_rules() -> None:
    assert set(failing(GOOD, duration=15.0)) == set()
    assert set(failing(GOOD, duration=30.0)) == {"frames", "duration"}
    assert set(failing(replace(GOOD, audio_seconds=15.03))) == set()  # within a frame
    assert "pad or trim" in failing(replace(GOOD, audio_seconds=14.9))["a/v length"]


def line(facts: Facts, name: str, standard: str = "web") -> Line:
    return next(x for x in judge(facts, STANDARDS[standard]) if x.name == name)


def test_black_runs() -> None:
    # blackdetect ends a run that lasts to the end at the last frame's time (15 s - 1 frame)
    edges = line(replace(GOOD, blacks=((0, 0.3), (14.5, 14.967))), "black")
    assert edges.ok and edges.value == "leading 0.30 s, trailing 0.50 s"
    dip = line(replace(GOOD, blacks=((5.0, 5.2),)), "black")
    assert dip.ok and dip.note == "1 short dip to black"
    gap = failing(replace(GOOD, blacks=((5.0, 5.6),)))
    assert set(gap) == {"black"} and "missing shot" in gap["black"]
    assert line(replace(GOOD, blacks=((0, 14.967),)), "black").value == "the whole video"


def test_loudness_rules_per_standard() -> None:
    assert failing(loud(-15.0)) == {}
    assert failing(loud(-15.1)) == {
        "loudness": "too quiet by 1.1 LU: apply +1.1 dB (then mind the true peak)"
    }
    assert failing(loud(-23.5), "ebu") == {}
    assert set(failing(loud(-23.6), "ebu")) == {"loudness"}
    assert failing(loud(-25.0), "jp-tv") == {}
    assert set(failing(loud(-22.9), "jp-tv")) == {"loudness"}
    assert line(loud(-24.0), "loudness", "jp-tv").value == "-24.0 LKFS"
    assert line(loud(-70.0, float("-inf"), 0.0), "loudness").value == "silent"
    assert line(loud(-14.0, float("-inf")), "true peak").ok
    assert set(failing(loud(-14.0, -0.9))) == {"true peak"}
    assert failing(loud(-14.0, lra=20.0)) == {}
    assert set(failing(loud(-14.0, lra=20.1))) == {"loudness range"}


def test_sound_format_rules() -> None:
    assert failing(replace(GOOD, audio_rate=44100)) == {}
    for standard in ("ebu", "jp-tv"):
        cd_rate = replace(loud(STANDARDS[standard].target), audio_rate=44100)
        assert set(failing(cd_rate, standard)) == {"sample rate"}
    assert set(failing(replace(GOOD, audio_channels=1))) == {"channels"}
    assert line(replace(GOOD, audio_channels=6), "channels").value == "6 (5.1)"


def test_no_audio_is_one_failing_line() -> None:
    silent_film = replace(GOOD, audio_codec="", audio_rate=0, audio_channels=0, loudness=None)
    lines = judge(silent_film, STANDARDS["jp-tv"])
    assert [x.name for x in lines if not x.ok] == ["audio"] and lines[-1].name == "audio"


def test_head_and_tail_silence() -> None:
    jp = loud(-24.0)
    exact = replace(jp, silences=((0.0, 0.5), (14.5, 15.0)))
    assert failing(exact, "jp-tv") == {}
    assert line(exact, "head silence", "jp-tv").value == "first 0.50 s silent"
    early = replace(jp, silences=((0.0, 0.3), (8.0, 9.0)))
    assert set(failing(early, "jp-tv")) == {"head silence", "tail silence"}
    assert line(early, "tail silence", "jp-tv").value == "sound up to the end"
    assert "start the sound later" in failing(early, "jp-tv")["head silence"]
    assert failing(replace(GOOD, silences=()), "web") == {}  # web only reports
    assert line(replace(GOOD, silences=()), "head silence").value == "sound at the very start"
    nothing = replace(jp, silences=((0.0, 15.0),))
    assert line(nothing, "tail silence", "jp-tv").value == "silent throughout"


def test_report_as_json() -> None:
    facts = loud(-70.0, float("-inf"), 0.0)
    report = Report(Path("ad.mp4"), "web", tuple(judge(facts, STANDARDS["web"])), facts)
    data = json.loads(json.dumps(report.as_dict(), allow_nan=False))
    assert data["failures"] == ["loudness"] and data["ok"] is False
    assert data["facts"]["loudness"] == {
        "integrated_lufs": -70.0,
        "true_peak_dbtp": None,
        "lra_lu": 0.0,
    }
    assert data["lines"][0] == {
        "name": "resolution", "value": "1080x1920", "expected": "even width and height",
        "ok": True, "note": "",
    }  # fmt: skip
