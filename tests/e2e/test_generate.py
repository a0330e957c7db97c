"""Generated clips: made offline by the local provider once, then reused untouched."""

from __future__ import annotations

import json

import media
from look import facts

from cmforge import load_recipe, plan, render
from cmforge.manifest import manifest_path

RECIPE = """[output]
size = [180, 320]
fps = 15
[[scenes]]
type = "clip"
{src}duration = 2.0
  [scenes.generate]
  image = "student.png"
  prompt = "A student raises a hand"
  length = 5
  mode = "pro"
"""


def test_generated_clip_is_made_once_and_reused(project, capsys) -> None:
    media.still(project.folder / "student.png", (200, 300))
    path = project(RECIPE.format(src=""))
    [r] = load_recipe(path)
    p = plan(r)
    [job] = p.generation
    assert job["provider"] == "local" and "no KLING_ACCESS_KEY" in job["why"]
    assert job["credits"] == 0
    events: list[str] = []
    out = render(r, on_event=events.append)
    assert any("generating with local" in e for e in events)
    clips = list((project.folder / ".cmforge" / "cache" / "clips").glob("*.mp4"))
    assert len(clips) == 1
    made = clips[0].stat().st_mtime_ns
    gen = facts(clips[0])
    assert abs(gen.video_seconds - 5.0) < 0.1 and gen.height > gen.width
    assert facts(out).frames == 30
    manifest = json.loads(manifest_path(out).read_text())
    [src] = [s for s in manifest["sources"] if "generated" in s]
    assert src["generated"]["provider"] == "local"
    assert src["generated"]["request"]["prompt"] == "A student raises a hand"
    events.clear()
    render(load_recipe(path)[0], on_event=events.append)
    assert not any("generating" in e for e in events), "the second render reuses the clip"
    assert clips[0].stat().st_mtime_ns == made


def test_generated_clip_saved_at_src(project) -> None:
    media.still(project.folder / "student.png", (200, 300))
    path = project(RECIPE.format(src='src = "clips/student.mp4"\n'))
    render(load_recipe(path)[0])
    assert (project.folder / "clips" / "student.mp4").is_file()


def test_takes_pick_and_contact_sheet(project, capsys) -> None:
    from PIL import Image

    from cmforge.cli import main

    media.still(project.folder / "student.png", (200, 300))
    path = project(
        RECIPE.format(src="").replace('mode = "pro"', 'mode = "pro"\n  takes = 3\n  pick = 2')
    )
    assert main(["generate", str(path)]) == 0
    out = capsys.readouterr()
    [sheet] = [line for line in out.out.splitlines() if line.endswith(".png")]
    im = Image.open(sheet)
    assert im.height > im.width / 3, "three rows of takes"
    clips = sorted((project.folder / ".cmforge" / "cache" / "clips").glob("*.take*.mp4"))
    assert [c.stem[-5:] for c in clips] == ["take1", "take2", "take3"]
    [r] = load_recipe(path)
    p = plan(r)
    assert p.generation == [] and p.recipe.scenes[0].src.stem.endswith("take2")
    assert main(["render", str(path), "--quiet"]) == 0
    manifest = json.loads(manifest_path(project.folder / "out" / "recipe.mp4").read_text())
    assert any(s["path"].endswith(".take2.mp4") for s in manifest["sources"])


def test_pick_beyond_takes_is_refused(project, capsys) -> None:
    from cmforge.cli import main

    media.still(project.folder / "student.png", (200, 300))
    path = project(
        RECIPE.format(src="").replace('mode = "pro"', 'mode = "pro"\n  takes = 2\n  pick = 3')
    )
    assert main(["validate", str(path)]) == 2
    assert "scenes[0].generate.pick" in capsys.readouterr().err
