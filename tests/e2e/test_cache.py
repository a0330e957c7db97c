"""The segment cache: a render that reuses cached segments is the render from scratch (PSNR on
every frame, frame count, sound), variants share what they have in common, renders running at
once share one cache, and a damaged cache file is rendered again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import av
import media
import numpy as np
import pytest
from look import manifest_of

from cmforge import load_recipe, render
from cmforge.cli import main

RECIPE = """[output]
size = [160, 284]
fps = 15
path = "out/{{variant}}.mp4"
[vars]
headline = "見出し A"
[defaults]
transition = { type = "wipeleft", duration = 0.4 }
[[scenes]]
type = "title"
text = "{{headline}}"
background = ["#1d3557", "#457b9d"]
duration = 1.2
[[scenes]]
type = "clip"
src = "a.mp4"
duration = 1.4
[[scenes]]
type = "image"
src = "pic.png"
duration = 1.2
transition = "cut"
[[scenes]]
type = "endslate"
text = "おわり"
duration = 1.0
transition = "fade"
[[captions]]
text = "字幕"
start = 0.8
end = 2.0
[music]
track = "tone.wav"
[[variants]]
name = "a"
[[variants]]
name = "b"
vars = { headline = "見出し B" }
"""


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    media.video(tmp_path / "a.mp4", size="160x284", rate="15", dur=2.5)
    media.still(tmp_path / "pic.png", (200, 300))
    media.tone(tmp_path / "tone.wav", dur=6.0)
    (tmp_path / "r.toml").write_text(RECIPE, encoding="utf-8")
    return tmp_path


def lumas(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="gray").astype(np.float64) for f in c.decode(video=0)]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def samples(path: Path) -> np.ndarray:
    with av.open(str(path)) as c:
        return np.concatenate([f.to_ndarray() for f in c.decode(audio=0)], axis=-1)


def render_all(folder: Path, out: Path) -> dict[str, Path]:
    return {r.variant: render(r) for r in load_recipe(folder / "r.toml", output_dir=out)}


def cache_of(video: Path) -> dict:
    return manifest_of(video)["cache"]


def test_cached_render_matches_a_render_from_scratch(project_dir, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CMFORGE_CACHE", str(tmp_path / "cache"))
    cached = render_all(project_dir, tmp_path / "cached")
    first, second = cache_of(cached["a"]), cache_of(cached["b"])
    assert first["hits"] == 0 and first["segments"] >= 3
    assert second["hits"] == second["segments"] - 1  # only the headline's segment is new
    monkeypatch.setenv("CMFORGE_CACHE", "off")
    scratch = render_all(project_dir, tmp_path / "scratch")
    assert cache_of(scratch["b"])["folder"] is None
    assert not list((tmp_path / "scratch").glob(".*"))  # no temporary segment folder left
    for name in ("a", "b"):
        x, y = lumas(cached[name]), lumas(scratch[name])
        frames = manifest_of(scratch[name])["output"]["frames"]
        assert len(x) == len(y) == frames
        assert min(psnr(a, b) for a, b in zip(x, y)) >= 45
        sa, sb = samples(cached[name]), samples(scratch[name])
        assert sa.shape == sb.shape
        assert 20 * np.log10(np.abs(sa - sb).max() + 1e-12) <= -60


def test_a_damaged_cached_segment_is_rendered_again(project_dir, tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CMFORGE_CACHE", str(cache))
    [a] = load_recipe(project_dir / "r.toml", variants=["a"])
    good = render(a)
    frames = len(lumas(good))
    victim = sorted((cache / "segments").glob("*.mp4"))[0]
    victim.write_bytes(victim.read_bytes()[:300])  # a disk that filled up
    again = render(a)
    assert cache_of(again)["hits"] == cache_of(again)["segments"] - 1
    assert len(lumas(again)) == frames


def test_two_renders_at_once_share_one_cache(project_dir, tmp_path) -> None:
    env = {**os.environ, "CMFORGE_CACHE": str(tmp_path / "shared")}
    cmd = [sys.executable, "-m", "cmforge.cli", "render", str(project_dir / "r.toml"), "--quiet"]
    procs = [
        subprocess.Popen([*cmd, "--output", str(tmp_path / f"o{i}")], env=env) for i in range(2)
    ]
    assert [p.wait(timeout=240) for p in procs] == [0, 0]
    for name in ("a", "b"):
        x = lumas(tmp_path / "o0" / f"{name}.mp4")
        y = lumas(tmp_path / "o1" / f"{name}.mp4")
        assert len(x) == len(y) and all(np.array_equal(a, b) for a, b in zip(x, y))
    assert not list((tmp_path / "shared" / "segments").glob(".*partial*"))  # none left


def test_cache_info_and_clear(project_dir, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CMFORGE_CACHE", str(tmp_path / "c"))
    [a] = load_recipe(project_dir / "r.toml", variants=["a"])
    render(a)
    assert main(["cache", "info"]) == 0
    out = capsys.readouterr().out
    assert str(tmp_path / "c") in out and "files:" in out
    assert main(["cache", "clear"]) == 0
    assert "removed" in capsys.readouterr().out
    assert not list((tmp_path / "c").rglob("*.mp4"))
    monkeypatch.setenv("CMFORGE_CACHE", "off")
    assert main(["cache", "info"]) == 0
    assert "off" in capsys.readouterr().out
