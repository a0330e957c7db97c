"""media/ffmpeg.run_analysis, the one way `cmforge check` runs FFmpeg: the log comes back with
what ran alongside; a failure there stops FFmpeg; FFmpeg's own failure is a RenderError."""

from __future__ import annotations

import pytest

from cmforge.errors import FFmpegMissing, RenderError
from cmforge.media.ffmpeg import ffmpeg_binary, run_analysis
from cmforge.media.loudness import EBUR128, parse_ebur128


def tone(seconds: float) -> list[str]:
    source = f"sine=frequency=997:sample_rate=48000:duration={seconds}"
    return [ffmpeg_binary(), "-f", "lavfi", "-i", source, "-af", EBUR128, "-f", "null", "-"]


def test_the_log_and_what_ran_alongside() -> None:
    log, got = run_analysis(tone(1), lambda: "read")
    assert got == "read" and parse_ebur128(log).integrated < -10


def test_a_failure_alongside_stops_ffmpeg() -> None:
    def fail() -> None:
        raise KeyError("alongside")

    with pytest.raises(KeyError):
        run_analysis(tone(600), fail)  # ten minutes of sound: only a kill ends it soon


def test_ffmpeg_failing_or_missing() -> None:
    with pytest.raises(RenderError) as e:
        run_analysis([ffmpeg_binary(), "-i", "/nonexistent/in.mp4", "-f", "null", "-"], dict)
    assert "No such file" in e.value.stderr_tail
    with pytest.raises(FFmpegMissing):
        run_analysis(["/nonexistent/ffmpeg", "-version"], dict)
