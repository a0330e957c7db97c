"""The TV master's rules on plain facts (no file): the figures, the CM's loudness reported and
judged to 0.1, drop-frame timecode, CM codes."""

from __future__ import annotations

from dataclasses import replace

from cmforge.delivery.tvmaster import (
    SPEC,
    advertiser_code,
    code_problem,
    derive_code,
    frames_tc,
    output_problems,
    tc_frames,
)
from cmforge.delivery.tvmaster_check import MasterFacts
from cmforge.delivery.tvmaster_judge import judge_master

GOOD = MasterFacts(
    container="mxf",
    pattern="060e2b34.04010101.0d010201.01010900",
    timecode="00:59:50;00",
    code="AB12CD3456",
    codec="mpeg2video",
    profile="4:2:2",
    pix_fmt="yuv422p",
    width=1920,
    height=1080,
    aspect="16:9",
    fps="30000/1001",
    bitrate=50e6,
    field_order="tt",
    audio=(("pcm_s24le", 48000, 1, 24), ("pcm_s24le", 48000, 1, 24)),
    frames=840,
    cm_start=300,
    bars=150,
    tone=150,
    tone_dbfs=-20.0,
    card=(60, True),
    hold=90,
    tail=(90, False),
    silent=(True, True),
    edge_db=(float("-inf"), -120.0),
    loudness=-24.0,
    true_peak=-3.0,
)


def failures(f: MasterFacts) -> list[str]:
    return [x.name for x in judge_master(f, SPEC) if not x.ok]


def test_the_figures() -> None:
    layout = (SPEC.bars, SPEC.card, SPEC.hold, SPEC.tail, SPEC.lengths)
    assert layout == (150, 60, 90, 90, (450, 900))
    assert SPEC.start_timecode == "00:59:50;00"
    assert failures(GOOD) == []


def test_loudness_is_judged_as_reported_to_a_tenth() -> None:
    assert failures(replace(GOOD, loudness=-25.04)) == []  # -25.04 reads -25.0
    lines = judge_master(replace(GOOD, loudness=-25.06), SPEC)
    line = next(x for x in lines if x.name == "loudness")
    assert line.value == "-25.1 LKFS (the CM only)" and not line.ok
    assert failures(replace(GOOD, loudness=None)) == ["loudness"]


def test_each_fact_fails_its_line() -> None:
    cases = {
        "timecode": dict(timecode="00:59:50:00"),
        "CM length": dict(frames=839),
        "sound format": dict(audio=(("pcm_s16le", 48000, 2, 16),)),
        "field order": dict(field_order="progressive"),
        "CM edges": dict(edges=("the CM's first frame is black", "")),
        "edge silence": dict(edge_db=(-60.0, float("-inf"))),
        "credit card": dict(silent=(False, True)),
        "last picture held": dict(tail=(90, True)),
    }
    for line, change in cases.items():
        assert failures(replace(GOOD, **change)) == [line], line


def test_drop_frame_timecode() -> None:
    assert tc_frames("01:00:00;00") == 107892  # an hour of 29.97 drop-frame
    assert frames_tc(1800) == "00:01:00;02" and frames_tc(17982) == "00:10:00;00"
    assert all(tc_frames(frames_tc(n)) == n for n in range(0, 120000, 7))


def test_cm_codes() -> None:
    assert code_problem("AB12CD3456") == "" and "I or O" in code_problem("AB12CD34I6")
    assert code_problem("SK01", prefix_ok=True) == "" and code_problem("SK01")
    a = derive_code("SK01", ("a", 1920, 1080, 450))
    assert a == derive_code("SK01", ("a", 1920, 1080, 450)) and not code_problem(a)
    assert a != derive_code("SK01", ("a", 1920, 1080, 900))
    assert not code_problem(advertiser_code("さくら進学塾"), prefix_ok=True)
    keys = {k for k, _m, _h in output_problems(1080, 1920, 25.0, 16.0, "AB1")}
    assert keys == {"output.format", "output.fps", "output.duration", "output.cm_code"}
    assert output_problems(1920, 1080, 30.0, 15.0, "SK01") == []
