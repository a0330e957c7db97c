"""Tier 1: the names the sound stage files its measurements under (the ducking curve, the
loudness correction) stay the same, so the measurements users already have stay valid; and
the measuring passes run the very graph the render runs, with only the correction changed.
No FFmpeg runs here: what it would answer is stood in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import media
import numpy as np
import pytest

import cmforge.compile.audio as audio
from cmforge import load_recipe
from cmforge.compile.audio import audio_stream, sound_graph
from cmforge.compile.emit import graph_text
from cmforge.compile.graph import Graph
from cmforge.media.ffmpeg import FFmpegInfo
from cmforge.media.loudness import Loudness
from cmforge.render import sound as sound_stage
from cmforge.timeline import Timeline, resolve_timeline

RECIPE = """[output]
size = [160, 284]
fps = 15
duration = 4
loudness = "web"
[music]
track = "pad.wav"
fade_out = 0.5
duck = -10
[[audio]]
src = "voice.wav"
start = 1
[[scenes]]
type = "title"
text = "key"
duration = 4
"""
# fixed paths (no such files: their bytes enter the key as "missing"), so the key is the
# same on every machine
FIXED = Path("/cmforge-sound-key")
DUCK_KEY = "c4ef7d9baf9d93456370550e"
MASTERING_KEY = "b2a4ed3e0e0954e0fa1311a5"


def fixed_timeline(tmp_path: Path, duck: bool = True) -> Timeline:
    for name in ("pad.wav", "voice.wav"):
        media.wav(tmp_path / name, np.zeros(4800))
    (tmp_path / "r.toml").write_text(RECIPE, encoding="utf-8")
    [r] = load_recipe(tmp_path / "r.toml")
    r = replace(
        r,
        music=replace(r.music, path=FIXED / "pad.wav", duck=r.music.duck if duck else None),
        audio=tuple(replace(a, src=FIXED / a.src.name) for a in r.audio),
    )
    return resolve_timeline(r, {})


@pytest.fixture
def ran(monkeypatch) -> list[list[str]]:
    """Every FFmpeg argv the sound stage would run, answered without running it: a loud peaky
    mix (the correction needs the limiter, so every kind of pass runs)."""
    argvs: list[list[str]] = []

    def read_output(argv: list[str]) -> tuple[bytes, str]:
        argvs.append(argv)
        return np.zeros(16000 * 4, dtype="<f4").tobytes(), ""

    def run_measure(argv: list[str]) -> Loudness:
        argvs.append(argv)
        return Loudness(-20.0, -2.0, 3.0)

    monkeypatch.setattr(sound_stage, "check_ffmpeg", lambda _b=None: FFmpegInfo("ffmpeg", "9.9"))
    monkeypatch.setattr(sound_stage, "read_output", read_output)
    monkeypatch.setattr(sound_stage, "run_measure", run_measure)
    monkeypatch.setattr(sound_stage, "measure_file", lambda _p, _f: Loudness(-14.0, -1.6, 3.0))
    return argvs


def graph_of(argv: list[str]) -> str:
    return argv[argv.index("-filter_complex") + 1]


def test_measurements_keep_their_names(tmp_path: Path, ran) -> None:
    cache = tmp_path / "cache"
    sound = sound_stage.prepare_sound(fixed_timeline(tmp_path), "ffmpeg", cache)
    assert sound.envelope == cache / "duck" / f"{DUCK_KEY}.wav"
    # without ducking (the curve's own path, in this test's folder, is part of the mix)
    sound_stage.prepare_sound(fixed_timeline(tmp_path, duck=False), "ffmpeg", tmp_path / "c2")
    assert [p.name for p in (tmp_path / "c2" / "loudness").iterdir()] == [f"{MASTERING_KEY}.json"]


def test_measuring_passes_run_the_render_graph_with_their_correction(tmp_path: Path, ran) -> None:
    tl = fixed_timeline(tmp_path)
    sound = sound_stage.prepare_sound(tl, "ffmpeg", tmp_path / "cache")
    m = sound.mastering
    assert m is not None and m.limited  # +6 dB would put the peak at +4 dBTP

    def built(gain: float | None, limited: bool | None) -> str:
        g = Graph(prefix="au")
        audio_stream(g, tl, sound, gain_db=gain, limited=limited)
        return graph_text(g)

    duck, first, *checks = [graph_of(a) for a in ran]
    assert "ebur128" not in duck and "[key" in duck
    assert first.startswith(built(0.0, False) + ";") and "ebur128" in first
    assert checks and all(c == built(m.gain_db, True) for c in checks)
    # a render reads the measurements from the cache: nothing runs again
    ran.clear()
    again = sound_stage.prepare_sound(tl, "ffmpeg", tmp_path / "cache")
    assert again == sound and ran == []


def test_a_render_builds_its_mix_once(tmp_path: Path, ran, monkeypatch) -> None:
    built: list[int] = []
    real = audio._mixed
    monkeypatch.setattr(audio, "_mixed", lambda *a: built.append(1) or real(*a))
    tl = fixed_timeline(tmp_path)
    sound = sound_stage.prepare_sound(tl, "ffmpeg", tmp_path / "cache")
    final, _ = sound_graph(tl, sound)  # what compile_timeline emits
    measured = [a for a in ran if "ebur128" in graph_of(a) or "aac" in a]
    assert len(measured) >= 2 and built == [1]  # the key, every pass and the render: one mix
    assert graph_text(final) == graph_of(measured[-1])  # the last check ran what renders


def test_without_measuring_only_the_cache_is_read(tmp_path: Path, ran) -> None:
    tl, cache = fixed_timeline(tmp_path), tmp_path / "cache"
    planned = sound_stage.prepare_sound(tl, "ffmpeg", cache, measure=False)
    assert ran == [] and planned.mastering is None
    assert planned.pending == ("ducking", "loudness")
    assert planned.envelope == cache / "duck" / f"{DUCK_KEY}.wav"  # where it will be made
    measured = sound_stage.prepare_sound(tl, "ffmpeg", cache, known=planned)
    assert measured.pending == () and measured.mix is planned.mix  # the plan's mix, once
    ran.clear()
    assert sound_stage.prepare_sound(tl, "ffmpeg", cache, measure=False) == measured
    assert ran == []
