"""Generated clips: made offline by the local provider once, then reused untouched."""

from __future__ import annotations

import json
from pathlib import Path

import media
import pytest
from look import facts, manifest_of

from cmforge import load_recipe, plan, render
from cmforge.contact import BACKGROUND, LABEL_W, PAD, THUMB_W

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


def rows_of(sheet) -> int:  # noqa: ANN001
    """The rows of thumbnails a viewer sees: runs of non-background pixels down the middle of
    the first frame column."""
    x = LABEL_W + PAD + THUMB_W // 2
    rows, inside = 0, False
    for y in range(sheet.height):
        on = sheet.getpixel((x, y))[:3] != BACKGROUND
        rows += on and not inside
        inside = on
    return rows


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
    manifest = manifest_of(out)
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
    assert rows_of(im) == 3, "one row per take"
    takes = json.loads(Path(sheet).with_suffix(".json").read_text(encoding="utf-8"))
    assert takes["pick"] == 2 and [t["take"] for t in takes["takes"]] == [1, 2, 3]
    assert [t["picked"] for t in takes["takes"]] == [False, True, False]
    for t in takes["takes"]:
        assert t["provider"] == "local" and t["made"] == "this run"
        assert t["settings"] == {
            "mode": "pro",
            "length": 5,
            "cfg_scale": 0.5,
            "model": "kling-v1-6",
            "aspect_ratio": "9:16",
        }
        assert t["request"]["prompt"] == "A student raises a hand" and t["cost"] == 0
        assert t["details"]["did"].endswith("over student.png, offline (no credits)")
        assert Path(t["path"]).is_file()
    moves = [t["details"]["motion"] for t in takes["takes"]]
    assert len(set(moves)) == 3, "each take tried another camera move"
    assert main(["generate", str(path)]) == 0, "nothing left to make: the sheet is redrawn"
    again = json.loads(Path(sheet).with_suffix(".json").read_text(encoding="utf-8"))
    assert [t["made"] for t in again["takes"]] == ["an earlier run"] * 3
    assert [t["details"]["motion"] for t in again["takes"]] == moves
    assert rows_of(Image.open(sheet)) == 3
    clips = sorted((project.folder / ".cmforge" / "cache" / "clips").glob("*.take*.mp4"))
    assert [c.stem[-5:] for c in clips] == ["take1", "take2", "take3"]
    [r] = load_recipe(path)
    p = plan(r)
    assert p.generation == [] and p.recipe.scenes[0].src.stem.endswith("take2")
    assert main(["render", str(path), "--quiet"]) == 0
    manifest = manifest_of(project.folder / "out" / "recipe.mp4")
    assert any(s["path"].endswith(".take2.mp4") for s in manifest["sources"])


def test_pick_beyond_takes_is_refused(project, capsys) -> None:
    from cmforge.cli import main

    media.still(project.folder / "student.png", (200, 300))
    path = project(
        RECIPE.format(src="").replace('mode = "pro"', 'mode = "pro"\n  takes = 2\n  pick = 3')
    )
    assert main(["validate", str(path)]) == 2
    assert "scenes[0].generate.pick" in capsys.readouterr().err


@pytest.fixture
def kling(monkeypatch):
    from cmforge.generate.kling import Simulator

    with Simulator(latency=0.3, seed=11, concurrency=2) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        yield sim


def test_kling_takes_at_once_under_the_cap_with_their_settings(project, kling, capsys) -> None:
    from PIL import Image

    from cmforge.cli import main

    media.still(project.folder / "student.png", (720, 1280))
    recipe = RECIPE.format(src="").replace('mode = "pro"', 'mode = "std"\n  takes = 3\n  pick = 3')
    path = project("[generate]\nmax_credits = 100\n" + recipe)
    assert main(["generate", str(path)]) == 0
    out = capsys.readouterr()
    assert kling.create_count == 3 and kling.state.codes[1303] <= 1
    if kling.state.codes[1303]:
        assert "Kling allows 2 clips at once on this account; waiting for a slot" in out.err
    [sheet] = [line for line in out.out.splitlines() if line.endswith(".png")]
    assert rows_of(Image.open(sheet)) == 3
    takes = json.loads(Path(sheet).with_suffix(".json").read_text(encoding="utf-8"))["takes"]
    assert [t["take"] for t in takes] == [1, 2, 3] and takes[2]["picked"]
    assert len({t["task_id"] for t in takes}) == 3
    for t in takes:
        assert t["provider"] == "kling" and t["task_id"] in kling.tasks
        assert t["cost"] == 2.0 and t["money_usd"] == 0.28
        assert t["settings"]["mode"] == "std" and t["settings"]["model"] == "kling-v1-6"
        sent = t["details"]["sent"]
        assert sent["model_name"] == "kling-v1-6" and sent["external_task_id"].endswith(
            f"-t{t['take']}"
        )
        assert sent["image"].startswith("<base64"), "the image is named, not copied"
