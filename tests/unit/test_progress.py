"""The ETA of a render comes from the measured speed of its frames, fed here as canned
progress events on a clock the test holds: no time is measured, nothing sleeps."""

from __future__ import annotations

import io
import re

from cmforge.cli.progress import BatchProgress, Eta, ProgressDisplay, eta_text


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _events(setup: float = 12.5, fps: float = 40.0, total: int = 450):
    """A 14 s render: 12.5 s of planning, generating and measuring the sound before the first
    frame, then frames at `fps`, reported every 10 frames."""
    yield 0.0, 0, total
    for done in range(10, total + 1, 10):
        yield setup + done / fps, done, total


def test_no_eta_until_a_second_of_frames_and_5_percent() -> None:
    eta, shown = Eta(), []
    for now, done, total in _events():
        shown.append((now, done, eta(done, total, now)))
    first = next((now, done) for now, done, left in shown if left is not None)
    assert first[1] >= 0.05 * 450 and first[0] - 12.75 >= 1.0  # 12.75: the first frames
    assert all(left is None for now, _, left in shown if now < first[0])
    for now, done, left in shown:
        if left is not None:  # within a frame or so of the truth: (450 - done) / 40 fps
            assert abs(left - (450 - done) / 40) < 0.05, (now, done, left)
    assert shown[-1][2] == 0.0


def test_the_14_s_render_no_longer_shows_629_s() -> None:
    """The old estimate (time since the command started / fraction done) said ~560 s at 2 %;
    the bar now says `?` there, and 10 s when 10 s are left."""
    clock, stream = Clock(), Tty()
    bar = ProgressDisplay("a-results", stream=stream, clock=clock)
    seen = []
    for now, done, total in _events():
        clock.now = now
        bar(done, total)
        seen.append(re.findall(r"ETA\s+(\S+)", stream.getvalue())[-1])
    bar.finish()
    assert seen[1] == "?s"  # 10 frames, 2 %: too early to say
    assert seen[(450 - 400) // 10] == "10s"  # 50 frames done: 400 left at 40 fps
    assert max(int(s[:-1]) for s in seen if s != "?s") <= 11
    assert seen[-1] == "0s"


def test_batch_line_uses_the_same_estimate() -> None:
    clock, stream = Clock(), Tty()
    show = BatchProgress(stream, clock=clock)
    a, b = show.variant("a", 100), show.variant("b", 100)
    clock.now = 30.0  # both planned and their clips generated
    a(0, 100)
    assert "ETA    ?s" in show.line()
    for step in range(1, 11):
        clock.now = 30.0 + step * 0.5
        a(step * 5, 100)
        b(step * 5, 100)
    # 100 of 200 frames in 5 s after the first 10: 90 frames in 4.5 s = 20 fps, 100 left
    assert "ETA    5s" in show.line()


def test_eta_text_keeps_its_width() -> None:
    assert [eta_text(x) for x in (None, 0, 9.6, 99.4, 185)] == [
        "ETA    ?s",
        "ETA    0s",
        "ETA   10s",
        "ETA   99s",
        "ETA 3m05s",
    ]
