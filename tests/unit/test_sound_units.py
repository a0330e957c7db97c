"""Tier 1: the ducking curve and the loudness correction's choices, on plain numbers.
(The real thing, measured on rendered files, is tests/e2e/test_sound.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from recipes import title

from cmforge.audio.ducking import STEP, gain_curve, key_levels
from cmforge.audio.loop import loop
from cmforge.audio.loudness import master
from cmforge.delivery.standards import STANDARDS
from cmforge.errors import RecipeError
from cmforge.media.loudness import Loudness, parse_ebur128
from cmforge.recipe import load_recipe
from cmforge.recipe.model import Duck

CEILING = STANDARDS["web"].ceiling  # dBTP the mastering aims under for web

SUMMARY = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -16.0 LUFS
    Threshold: -26.1 LUFS

  Loudness range:
    LRA:         1.2 LU
    Threshold:  -36.2 LUFS

  True peak:
    Peak:        -1.7 dBFS
"""


def test_parse_ebur128_summary() -> None:
    assert parse_ebur128("noise\n" + SUMMARY) == Loudness(-16.0, -1.7, 1.2)
    silent = SUMMARY.replace("-16.0 LUFS", "-70.0 LUFS").replace("-1.7 dBFS", "-inf dBFS")
    assert parse_ebur128(silent).true_peak == float("-inf")
    with pytest.raises(ValueError):
        parse_ebur128("no summary here")


def levels(active: list[tuple[float, float]], seconds: float = 6.0) -> np.ndarray:
    t = np.arange(int(seconds / STEP)) * STEP
    out = np.full(len(t), -90.0)
    for a, b in active:
        out[(t >= a) & (t < b)] = -20.0
    return out


def at(curve: np.ndarray, seconds: float) -> float:
    return float(curve[int(round(seconds / STEP))])


def test_gain_curve_ducks_ahead_of_speech_holds_and_releases() -> None:
    duck = Duck(-10, attack=0.05, release=0.4)
    c = gain_curve(levels([(1.0, 2.0), (2.1, 3.0), (4.5, 5.0)]), duck)
    assert at(c, 0.5) == 0.0
    assert at(c, 1.0) == pytest.approx(-10)  # fully down when speech starts (look-ahead)
    assert at(c, 0.96) > -10  # and ramping just before
    assert at(c, 2.05) == pytest.approx(-10)  # a 0.1 s gap between words: held
    assert at(c, 3.2) == pytest.approx(-10)  # hold after the phrase
    assert -10 < at(c, 3.45) < 0  # releasing
    assert at(c, 3.8) == 0.0  # back between phrases
    assert at(c, 4.5) == pytest.approx(-10)
    assert np.all(np.abs(np.diff(c)) <= 10 * STEP / 0.05 + 1e-9)  # never faster than attack


def test_gain_curve_without_key_sound_is_flat() -> None:
    assert not gain_curve(levels([]), Duck(-10)).any()
    assert key_levels(np.zeros(10), 16000).size == 0


def linear_system(raw: Loudness, aac_loss: float = 0.0, limiter_cost: float = 0.4):
    """A stand-in programme: gain adds to loudness and peak; the limiter holds the peak at the
    ceiling and costs a little loudness; the encode loses aac_loss LU."""
    calls = []

    def measure(gain: float, limited: bool, loss: float = 0.0) -> Loudness:
        calls.append((gain, limited))
        peak = raw.true_peak + gain
        cost = limiter_cost if limited and peak > CEILING else 0.0
        return Loudness(raw.integrated + gain - cost - loss, min(peak, CEILING), raw.lra)

    return measure, (lambda g, lim: measure(g, lim, aac_loss)), calls


def test_master_uses_gain_alone_when_the_peak_allows() -> None:
    measure, encoded, calls = linear_system(Loudness(-20.0, -12.0, 3.0), aac_loss=0.3)
    m = master(-14.0, "web", measure, encoded)
    assert not m.limited
    assert m.gain_db == pytest.approx(6.3)  # the encode's loss made good
    assert m.predicted.integrated == pytest.approx(-14.0, abs=0.1)


def test_master_limits_when_the_gain_would_clip() -> None:
    measure, encoded, _ = linear_system(Loudness(-24.0, -3.0, 5.0))
    m = master(-14.0, "web", measure, encoded)
    assert m.limited and m.notes
    assert m.predicted.integrated == pytest.approx(-14.0, abs=0.1)
    assert m.predicted.true_peak <= CEILING


def test_master_of_silence_changes_nothing() -> None:
    measure, _, _ = linear_system(Loudness(-70.0, float("-inf"), 0.0))
    m = master(-14.0, "web", measure)
    assert m.gain_db == 0.0 and not m.limited


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('loudness = "tv"', "not a loudness preset"),
        ("loudness = 5", "not a loudness target"),
        ("loudness = true", "expected"),
    ],
)
def test_bad_loudness_is_a_recipe_error(project, line, message) -> None:
    path = project(f"[output]\nsize = [64, 64]\n{line}\n" + title("a"))
    with pytest.raises(RecipeError) as e:
        load_recipe(path)
    [p] = e.value.problems
    assert p.key == "output.loudness" and p.line == 3 and message in p.message


def test_duck_accepts_number_or_table_and_refuses_a_boost(project) -> None:
    scene = title("a")
    ok = project(
        '[music]\ntrack = "bright-steps"\nduck = { depth = -12, attack = 0.1, release = 0.6 }\n'
        + scene
    )
    [r] = load_recipe(ok)
    assert r.music.duck == Duck(-12, 0.1, 0.6)
    bad = project('[music]\ntrack = "bright-steps"\nduck = 10\n' + scene, "bad.toml")
    with pytest.raises(RecipeError) as e:
        load_recipe(bad)
    [p] = e.value.problems
    assert p.key == "music.duck" and "-10" in p.hint


def seam_level_db(y: np.ndarray, rate: int, seam_start: int, fade: int) -> tuple[float, float]:
    def rms(a: int, b: int) -> float:
        return float(20 * np.log10(np.sqrt(np.mean(y[:, a:b] ** 2)) + 1e-12))

    return rms(seam_start, seam_start + fade), rms(seam_start - fade, seam_start)


@pytest.mark.parametrize("kind", ["tone", "noise", "chord"])
def test_loop_seam_keeps_its_level_whatever_the_material(kind) -> None:
    rate = 8000
    t = np.arange(int(1.37 * rate)) / rate  # not a whole number of periods: a hard seam clicks
    rng = np.random.default_rng(5)
    x = {
        "tone": 0.5 * np.sin(2 * np.pi * 331 * t),
        "noise": 0.3 * rng.standard_normal(len(t)),
        "chord": 0.2 * (np.sin(2 * np.pi * 220 * t) + np.sin(2 * np.pi * 277 * t)),
    }[kind]
    y, how = loop(np.vstack([x, x]), rate, 5 * rate)
    assert y.shape == (2, 5 * rate) and how["repeats"] >= 3
    fade = int(how["crossfade_s"] * rate)
    seam, before = seam_level_db(y, rate, len(t) - fade, fade)
    assert abs(seam - before) <= 1.0, (kind, seam, before, how)
    if kind != "noise":  # a smooth signal: no sample jumps more than the signal itself does
        step = np.abs(np.diff(y[0]))
        assert step.max() <= 1.2 * np.abs(np.diff(x)).max()


def test_loop_of_a_long_track_is_a_cut() -> None:
    x = np.ones((2, 100))
    y, how = loop(x, 10, 50)
    assert y.shape == (2, 50) and how == {"repeats": 0}
