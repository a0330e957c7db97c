"""Stills from prompts, rendered offline: one recipe makes its stills with the stand-in still
maker and uses them as an image scene, a title background, the end slate's logo and the
image a clip is generated from; each still is made once; `cmforge generate` draws a contact
sheet of a still's takes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from look import facts, frame_rgb, manifest_of
from PIL import Image

from cmforge import load_recipe, plan, render
from cmforge.cli import main
from cmforge.contact import LABEL_W, PAD, THUMB_W

RECIPE = """[output]
size = [180, 320]
fps = 15
[vars]
who = "student"
[[stills]]
path = "gen/student.png"
prompt = "A {{who}} strikes a victory pose"
model = "flux-pro-1.1"
seed = 42
[[stills]]
path = "gen/logo.png"
prompt = "A cherry-blossom school logo"
aspect = "1:1"
[[scenes]]
type = "title"
text = "合格"
background = "gen/student.png"
duration = 1.0
[[scenes]]
type = "clip"
src = "gen/student.mp4"
duration = 1.0
  [scenes.generate]
  image = "gen/student.png"
  prompt = "She raises a hand"
[[scenes]]
type = "image"
src = "gen/room.png"
duration = 1.0
  [scenes.generate]
  prompt = "An empty classroom at dusk"
[[scenes]]
type = "endslate"
logo = "gen/logo.png"
text = "さくら"
duration = 1.0
"""


def red(rgb: np.ndarray) -> np.ndarray:
    """Where the stand-in's STAND-IN band shows (its red)."""
    return (rgb[..., 0] > 150) & (rgb[..., 1] < 110) & (rgb[..., 2] < 110)


def test_stills_feed_every_image_use_and_are_made_once(project) -> None:
    path = project(RECIPE)
    [r] = load_recipe(path)
    planned = plan(r)
    assert [(g["scene"], g["makes"]) for g in planned.generation] == [
        ("stills[0]", "still"),
        ("stills[1]", "still"),
        ("scenes[2].generate", "still"),
        ("scenes[1]", "clip"),
    ]
    assert planned.generation[3]["after"] == ["stills[0]"]
    events: list[str] = []
    out = render(r, on_event=events.append)
    made = [e for e in events if "generating with local" in e]
    assert len(made) == 4 and all("offline stand-in" in e for e in made), "the tool says so"
    gen = project.folder / "gen"
    assert sorted(p.name for p in gen.iterdir() if not p.name.endswith(".provenance.json")) == [
        "logo.png",
        "room.png",
        "student.mp4",
        "student.png",
    ]
    for name in ("logo.png", "room.png", "student.mp4", "student.png"):  # issue 11, section 4
        side = json.loads((gen / f"{name}.provenance.json").read_text(encoding="utf-8"))
        assert side["stand_in"] is True and side["provider"] == "local", name
    assert Image.open(gen / "logo.png").size == (1440, 1440)
    assert Image.open(gen / "student.png").size == (1080, 1920)
    assert facts(out).frames == 60
    title, image, slate = (frame_rgb(out, i) for i in (7, 37, 52))
    assert red(title[:12]).mean() > 0.5, "the title's background is the still"
    assert red(image[:12]).mean() > 0.5, "the image scene shows the still"
    assert red(slate[20:170]).any() and not red(slate[:12]).any(), "the logo is the still"
    manifest = manifest_of(out)
    stills = {s["key"]: s for s in manifest["stills"]}
    first = stills["stills[0]"]
    assert first["provider"] == "local" and first["stand_in"] is True
    assert first["prompt"] == "A student strikes a victory pose"
    assert (first["model"], first["seed"], first["made"]) == ("flux-pro-1.1", 42, "this render")
    assert first["task_id"]
    sources = {s["key"]: s for s in manifest["sources"]}
    clip = sources["scenes[1].src"]["generated"]
    assert clip["request"]["image"] == str(gen / "student.png")
    assert sources["scenes[3].logo"]["generated"]["provider"] == "local"
    assert sources["scenes[0].background"]["path"] == str(gen / "student.png")
    stamps = {p.name: p.stat().st_mtime_ns for p in gen.iterdir()}
    events.clear()
    again = render(load_recipe(path)[0], on_event=events.append)
    assert not any("generating" in e for e in events), "the second render makes nothing"
    assert {p.name: p.stat().st_mtime_ns for p in gen.iterdir()} == stamps
    assert manifest_of(again)["stills"][0]["made"] != "this render"


def test_generate_draws_a_sheet_of_a_still_s_takes(project, capsys) -> None:
    text = RECIPE.replace("seed = 42\n", "seed = 42\ntakes = 2\npick = 2\n")
    path = project(text)
    assert main(["generate", str(path), "--still", "0"]) == 0
    out = capsys.readouterr().out
    [sheet] = [line for line in out.splitlines() if line.endswith(".png")]
    assert Path(sheet).name == "recipe-still0-takes.png"
    made = sorted(p.name for p in (project.folder / "gen").glob("*.png"))
    assert made == ["student.take1.png", "student.take2.png"], "only the still asked for"
    im = Image.open(sheet)
    x = LABEL_W + PAD + THUMB_W // 2
    column = [im.getpixel((x, y))[:3] for y in range(im.height)]
    assert sum(1 for a, b in zip(column, column[1:]) if a != b and b != (24, 28, 36)) >= 2
    side = json.loads(Path(sheet).with_suffix(".json").read_text(encoding="utf-8"))
    assert side["still"] == "stills[0]" and side["pick"] == 2
    assert [t["picked"] for t in side["takes"]] == [False, True]
    assert all(t["provider"] == "local" for t in side["takes"])
    assert side["takes"][0]["settings"]["model"] == "flux-pro-1.1"
    [r] = load_recipe(path)
    p = plan(r)
    assert p.recipe.scenes[1].generate is not None
    clip = [g for g in p.generation if g["scene"] == "scenes[1]"]
    assert clip and clip[0]["after"] == [], "the picked take exists: the clip need not wait"
    assert main(["generate", str(path), "--scene", "1"]) == 0
    assert (project.folder / "gen" / "student.mp4").is_file()
    manifest_request = json.loads(
        (project.folder / "out" / "recipe-scene1-takes.json").read_text(encoding="utf-8")
    )
    assert manifest_request["takes"][0]["request"]["image"].endswith("student.take2.png")


CHAINED = """[output]
size = [180, 320]
fps = 15
[generate]
max_credits = 100
[[stills]]
path = "gen/student.png"
prompt = "A student strikes a victory pose"
[[scenes]]
type = "clip"
src = "gen/student.mp4"
duration = 1.0
  [scenes.generate]
  image = "gen/student.png"
  prompt = "She raises a hand"
  mode = "std"
"""


def test_a_paid_clip_waits_for_its_still_and_is_paid_once(project, monkeypatch, capsys) -> None:
    from cmforge.generate.kling import Simulator

    with Simulator(latency=0.3, seed=7) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        path = project(CHAINED)
        assert main(["plan", str(path)]) == 0
        out = capsys.readouterr().out
        assert "generate with kling once stills[0] is made" in out and sim.create_count == 0
        assert main(["render", str(path)]) == 0
        err = capsys.readouterr().err
        assert err.index("stills[0]: generating with local") < err.index(
            "scenes[0]: generating with kling"
        )
        assert sim.create_count == 1
        video = project.folder / "out" / "recipe.mp4"
        assert facts(video).frames == 15
        manifest = manifest_of(video)
        assert manifest["stills"][0]["stand_in"] is True
        [clip] = [s for s in manifest["sources"] if s["key"] == "scenes[0].src"]
        assert clip["generated"]["provider"] == "kling"
        assert main(["render", str(path)]) == 0
        assert sim.create_count == 1, "nothing is made twice"
        (project.folder / "gen" / "student.mp4").unlink()
        assert main(["render", str(path)]) == 0
        assert sim.create_count == 1, "the paid task is found again by the clip's fingerprint"
