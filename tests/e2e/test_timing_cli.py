"""Silly timings are said, not silently made: validate, plan and render print each warning with
file, line and key, the manifest keeps them, validate --json lists them, --strict fails."""

from __future__ import annotations

import json
from pathlib import Path

import media
import pytest
from look import facts, manifest_of
from recipes import school_ad

from cmforge.cli import main


@pytest.fixture
def ad(project):
    """school_ad's files, made once per test: real clips, still, logo and narration."""
    folder: Path = project.folder
    folder.mkdir(parents=True, exist_ok=True)
    media.video(folder / "gen.mp4", dur=5.0, audio=None)
    media.video(folder / "hallway.mp4", dur=3.0)
    media.still(folder / "room.png")
    media.logo(folder / "logo.png")
    media.tone(folder / "narration.wav", dur=5.0)
    return project


def line(path: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln)


def test_validate_says_what_ninety_seconds_stretch(ad, capsys) -> None:
    path = ad(school_ad(90))
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    still = f"warning: {path.resolve()}:{line(path, 'duration = 3.2')}: scenes[3].duration: "
    assert still + "stretched by flex from 3.20 s to 41.93 s" in err
    assert "scenes[4].duration: stretched by flex from 3.00 s to 39.27 s" in err
    assert main(["validate", str(path), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "2 problems found" in err and "[--strict]" in err


def test_validate_json_lists_problems_and_warnings(ad, capsys) -> None:
    path = ad(school_ad(6))
    assert main(["validate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["problems"] == []
    by_key = {w["key"]: w for w in out["warnings"]}
    assert set(by_key) == {"scenes[1].duration", "scenes[4].duration", "audio[0].start"}
    narration = by_key["audio[0].start"]
    assert narration["line"] == line(path, "start = 7.6") and narration["severity"] == "warning"
    assert narration["file"] == str(path.resolve()) and "not heard" in narration["message"]
    assert out["variants"][0]["frames"] == 180
    assert main(["validate", str(path), "--json", "--strict"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert not out["ok"] and len(out["problems"]) == 3 and out["warnings"] == []
    assert {p["severity"] for p in out["problems"]} == {"error"}


def test_validate_json_of_a_broken_recipe(project, capsys) -> None:
    path = project('[output]\nfps = "fast"\n[[scenes]]\ntype = "title"\ntxt = "A"\n')
    assert main(["validate", str(path), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    keys = {(p["key"], p["line"], p["severity"]) for p in out["problems"]}
    assert ("output.fps", 2, "error") in keys and ("scenes[0].txt", 5, "error") in keys
    assert out["variants"] == [] and not out["ok"]


def test_plan_says_a_caption_cut_by_a_fifteen_second_ad(ad, capsys) -> None:
    text = school_ad(15).replace("start = 2.6\nend = 4.8", "start = 12.0\nend = 21.4")
    path = ad(text)
    assert main(["plan", str(path)]) == 0
    captured = capsys.readouterr()
    assert "15.000 s" in captured.out
    where = f"{path.resolve()}:{line(path, 'end = 21.4')}: captions[0].end"
    assert f"warning: {where}: ends at 21.4 s, after the ad ends (15.00 s)" in captured.err
    assert main(["plan", str(path), "--json"]) == 0
    [plan] = json.loads(capsys.readouterr().out)
    assert [(w["key"], w["severity"]) for w in plan["warnings"]] == [("captions[0].end", "warning")]
    assert main(["plan", str(path), "--strict"]) == 2


def test_render_prints_warnings_and_the_manifest_keeps_them(ad, capsys) -> None:
    path = ad(school_ad(6, size=(96, 160), fps=10))
    assert main(["render", str(path)]) == 0
    err = capsys.readouterr().err
    assert "scenes[4].duration: the end slate is on screen 0.50 s" in err
    video = path.parent / "out" / "recipe.mp4"
    assert facts(video).frames == 60
    warnings = manifest_of(video)["warnings"]
    assert {w["key"] for w in warnings} == {
        "scenes[1].duration",
        "scenes[4].duration",
        "audio[0].start",
    }
    assert all(set(w) == {"key", "line", "message"} and w["line"] for w in warnings)
    video.unlink()
    assert main(["render", str(path), "--strict"]) == 2
    assert "nothing rendered" in capsys.readouterr().err and not video.exists()


def test_a_warning_of_some_variants_names_them(ad, capsys) -> None:
    text = school_ad(15).replace('text = "Study is fun"', 'text = "{{line}}"')
    text += '[vars]\nline = "Study"\n[[variants]]\nname = "short"\n[[variants]]\nname = "long"\n'
    text += 'vars = { line = "勉強が、楽しくなる。一人ひとりに合わせた個別指導" }\n'
    path = ad(text)
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "captions[0].text" in err and "(in long)" in err
