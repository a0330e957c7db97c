"""plan() renders nothing, the sound included: FFmpeg does not run on the media. It shows what
an earlier render measured (kept in the project's cache); a render measures what it left."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import media
import numpy as np
import pytest

from cmforge import load_recipe, plan, render
from cmforge.batch import is_current
from cmforge.cli.plan_view import plan_json
from cmforge.render.manifest import manifest_path

RATE = 48000
RECIPE = """[output]
size = [160, 284]
fps = 15
duration = 6
path = "out/{{variant}}.mp4"
loudness = "web"
[music]
track = "short.wav"
fade_out = 0.5
duck = -10
[[audio]]
src = "voice.wav"
start = 1
[[scenes]]
type = "title"
text = "音"
background = "#223344"
duration = 6
"""


@pytest.fixture
def launched(monkeypatch) -> list[list[str]]:
    """The argv of every process started from now on, FFmpeg's capability check aside."""
    seen: list[list[str]] = []
    real = subprocess.Popen.__init__

    def start(self, args, *a, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
        argv = [str(x) for x in args]
        if not {"-version", "-encoders", "-filters"} & set(argv):
            seen.append(argv)
        return real(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", start)
    return seen


def project(folder: Path) -> Path:
    t = np.arange(3 * RATE) / RATE
    media.wav(folder / "short.wav", 0.2 * np.sin(2 * np.pi * 330 * t))  # looped to 6 s
    voice = np.zeros(5 * RATE)
    voice[RATE : 3 * RATE] = 0.3 * np.sin(2 * np.pi * 180 * np.arange(2 * RATE) / RATE)
    media.wav(folder / "voice.wav", voice)
    path = folder / "recipe.toml"
    path.write_text(RECIPE, encoding="utf-8")
    return path


def test_plan_measures_nothing_and_shows_what_a_render_measured(tmp_path, launched) -> None:
    [r] = load_recipe(project(tmp_path))
    first = plan(r)
    assert launched == [], "plan runs no FFmpeg on the media"
    assert first.sound is not None and first.sound.mastering is None
    assert first.sound.pending == ("ducking", "music loop", "loudness")
    assert plan_json(first)["loudness"] is None  # not measured yet: nothing claimed
    # the files the render will make are already named in the command it shows
    assert str(first.sound.envelope) in first.shell() and str(first.sound.music) in first.shell()

    out = render(r, planned=first)  # the render measures what the plan left
    assert launched, "the render ran FFmpeg"
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    loud = manifest["loudness"]
    assert loud["within_spec"] is True and loud["gain_db"] != 0.0
    assert manifest["music_loop"] and manifest["ducking"]["envelope"] == str(first.sound.envelope)

    launched.clear()
    again = plan(r)  # every measurement is in the cache now
    assert launched == []
    assert again.sound is not None and again.sound.pending == ()
    assert again.sound.mastering is not None and again.sound.mastering.gain_db == loud["gain_db"]
    assert plan_json(again)["loudness"]["gain_db"] == loud["gain_db"]
    assert again.shell(out) == manifest["ffmpeg_command"]  # exactly what the render ran
    assert is_current(r, out) == (True, "up to date")
