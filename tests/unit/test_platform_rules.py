"""Tier 1: `check --platform` rules judged on plain facts, from the platforms table."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cmforge.delivery.facts import Cadence, Facts
from cmforge.delivery.platform_rules import judge_platform
from cmforge.delivery.platforms import PLATFORMS, Frame, Platform, px
from cmforge.media.loudness import Loudness

MB = 1 << 20
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
    file_bytes=12 * MB,
    audio_kbps=192.0,
)


def failing(facts: Facts, platform: str) -> dict[str, str]:
    return {x.name: x.note for x in judge_platform(facts, PLATFORMS[platform]) if not x.ok}


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_a_15_s_vertical_1080p_ad_fits_every_vertical_platform(name) -> None:
    if PLATFORMS[name].frame(1080, 1920) is None:
        assert set(failing(GOOD, name)) == {f"{name} size"}
    else:
        assert failing(GOOD, name) == {}


def test_every_rule_line_is_named_after_its_platform() -> None:
    names = [x.name for x in judge_platform(GOOD, PLATFORMS["tiktok"])]
    assert names == [
        "tiktok size",
        "tiktok frame rate",
        "tiktok length",
        "tiktok file size",
        "tiktok bitrate",
        "tiktok sound",
    ]


def test_size_aspect_least_and_largest() -> None:
    assert (
        "9:16 (1080x1920)" in failing(replace(GOOD, width=1920, height=1080), "reels")["reels size"]
    )
    small = failing(replace(GOOD, width=360, height=640), "tiktok")
    assert small["tiktok size"] == "too small for TikTok In-Feed ad: render 1080x1920"
    big = replace(GOOD, width=2160, height=3840, file_bytes=50 * MB)
    assert "1080p" in failing(big, "line")["line size"]
    assert failing(replace(GOOD, width=1080, height=1080), "tiktok") == {}  # TT1: 1:1 too


def test_frame_rate_length_file_size_bitrate() -> None:
    fast = replace(GOOD, cadence=Cadence(900, 60.0, True, 1 / 60, 1 / 60))
    assert set(failing(fast, "line")) == {"line frame rate"}  # LINE: at most 30 fps
    assert failing(fast, "tiktok") == {}
    ntsc = replace(GOOD, cadence=Cadence(360, 24000 / 1001, True, 1 / 24, 1 / 24))
    assert failing(ntsc, "tiktok") == {}
    assert set(failing(replace(GOOD, video_seconds=4.0), "tiktok")) == {"tiktok length"}
    assert failing(replace(GOOD, video_seconds=60.01), "tiktok") == {}  # within half a frame
    assert set(failing(replace(GOOD, video_seconds=61.0), "tiktok")) == {"tiktok length"}
    assert set(failing(replace(GOOD, video_seconds=121.0), "line")) == {"line length"}
    heavy = replace(GOOD, file_bytes=101 * MB)
    assert set(failing(heavy, "line")) == {"line file size", "line bitrate"}
    assert failing(heavy, "tiktok") == {}
    thin = replace(GOOD, file_bytes=int(15 * 500 * 1000 / 8))  # 500 kbps over 15 s
    assert set(failing(thin, "tiktok")) == {"tiktok bitrate"}


def test_sound_rules() -> None:
    silent = replace(GOOD, audio_codec="", audio_rate=0, audio_channels=0, audio_kbps=0)
    assert "refuses a video without sound" in failing(silent, "tiktok")["tiktok sound"]
    assert failing(silent, "shorts") == {}  # sound optional on YouTube
    low = replace(GOOD, audio_kbps=96.0)
    assert "128 kbps" in failing(low, "reels")["reels sound"]
    hi_rate = replace(GOOD, audio_rate=96000)
    assert "48 kHz" in failing(hi_rate, "reels")["reels sound"]


def test_a_new_platform_brings_its_rules() -> None:
    tiny = Platform(
        "tiny",
        "Tiny app",
        (Frame("9:16", (1080, 1920), (1080, 1920), px(0, 0, 0, 0, (1080, 1920))),),
        fps=(24, 25),
        min_s=1,
        max_s=10,
        max_bytes=MB,
        audio="required",
    )
    got = failing(GOOD, "tiktok") | {x.name: x.note for x in judge_platform(GOOD, tiny) if not x.ok}
    assert set(got) == {"tiny frame rate", "tiny length", "tiny file size"}


def test_a_silent_track_is_not_held_to_a_bitrate() -> None:
    silent = replace(GOOD, audio_kbps=2.0, loudness=Loudness(-120.0, -120.0, 0.0))
    assert failing(silent, "reels") == {}
    (line,) = [x for x in judge_platform(silent, PLATFORMS["reels"]) if x.name == "reels sound"]
    assert line.note == "silent throughout: its bitrate is not judged"
