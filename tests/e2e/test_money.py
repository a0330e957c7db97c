"""Issue 11, sections 3 and 4, through the command line against the Kling simulator (loopback
HTTP): costs in the provider's unit and in dollars, one budget in dollars over every selected
variant, and offline stand-ins that are recorded, made for real once keys are set, announced on
a render's last line, in its manifest and batch.csv, and refused by `render --final`."""

from __future__ import annotations

import csv
import json

import media
import pytest

from cmforge.assets.standins import provenance_path
from cmforge.cli import main
from cmforge.generate.kling import Simulator
from cmforge.render.manifest import manifest_path

CLIP = """[output]
size = [180, 320]
fps = 15
{budget}
[vars]
hand = "left"
[[scenes]]
type = "clip"
duration = 1.0
{src}
  [scenes.generate]
  image = "student.png"
  prompt = "A student raises the {{{{hand}}}} hand"
  model = "kling-v1"
  mode = "pro"
  length = 5
{keep}
"""
TWO_VARIANTS = """[[variants]]
name = "a"
[[variants]]
name = "b"
[variants.vars]
hand = "right"
"""
KEYS = ("KLING_ACCESS_KEY", "KLING_SECRET_KEY", "KLING_API_BASE")


def recipe(project, *, budget="", keep="", variants="", src=""):  # noqa: ANN001, ANN201
    media.still(project.folder / "student.png", (720, 1280))
    src = f'src = "{src}"' if src else ""
    return project(CLIP.format(budget=budget, keep=keep, src=src) + variants)


@pytest.fixture
def kling(monkeypatch):
    with Simulator(latency=0.2, seed=11) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        yield sim


@pytest.fixture
def offline(monkeypatch):
    for k in KEYS:
        monkeypatch.delenv(k, raising=False)


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


# ----- section 3: units and budgets a user cannot misread --------------------------------------


def test_plan_shows_api_units_dollars_web_credits_and_the_budget_of_all_variants(
    project, kling, capsys
) -> None:
    path = recipe(project, variants=TWO_VARIANTS)
    assert main(["plan", str(path), "--max-cost", "0.50"]) == 0
    out = capsys.readouterr().out
    row = "3.5 Kling API units = $0.49 (Kling web-app equivalent: 35 credits)"
    assert out.count(row) == 2, out
    assert "generation: 1 clip(s), 3.5 Kling API units = $0.49 in total" in out
    assert last_line(out) == (
        "budget: all 2 variants together: 2 clip(s) paid, 7 Kling API units = $0.98, ABOVE the "
        "budget of $0.50 (--max-cost); render and generate would refuse"
    )
    assert kling.create_count == 0, "plan spends nothing"


def test_generate_holds_every_selected_variant_to_one_budget(project, kling, capsys) -> None:
    """Issue 11: `--max-credits 3.5` spent 7 by checking each variant alone."""
    path = recipe(project, variants=TWO_VARIANTS)
    assert main(["generate", str(path), "--max-credits", "3.5"]) == 2
    err = capsys.readouterr().err
    assert "2 clip(s) costs 7 Kling API units = $0.98, above the limit of 3.5 Kling" in err
    assert "(--max-credits); nothing was generated or spent" in err
    assert main(["generate", str(path), "--max-cost", "0.97"]) == 2
    assert "above the budget of $0.97 (--max-cost)" in capsys.readouterr().err
    assert kling.create_count == 0
    assert main(["generate", str(path), "--max-cost", "0.98"]) == 0
    assert kling.create_count == 2
    sheet = json.loads((project.folder / "out" / "a-scene0-takes.json").read_text("utf-8"))
    [take] = sheet["takes"]
    assert (take["cost"], take["unit"], take["money_usd"]) == (3.5, "Kling API units", 0.49)


def test_nothing_is_paid_without_a_budget_and_max_cost_in_the_recipe_allows_it(
    project, kling, capsys
) -> None:
    path = recipe(project)
    assert main(["render", str(path)]) == 2
    err = capsys.readouterr().err
    assert "1 clip(s) costs 3.5 Kling API units = $0.49, above the budget of $0.00" in err
    assert "--max-cost 0.49" in err and kling.request_count == 0
    path = recipe(project, budget="[generate]\nmax_cost = 0.49")
    assert main(["render", str(path), "--quiet"]) == 0
    assert kling.create_count == 1


def test_a_bad_max_cost_is_named_with_what_was_expected(project, capsys) -> None:
    path = recipe(project)
    with pytest.raises(SystemExit) as exit_:
        main(["render", str(path), "--max-cost", "two dollars"])
    assert exit_.value.code == 2
    assert "expected an amount in US dollars such as 2.50" in capsys.readouterr().err


# ----- section 4: never ship a stand-in by accident ---------------------------------------------


def test_a_stand_in_is_recorded_announced_refused_by_final_then_made_for_real(
    project, offline, monkeypatch, capsys
) -> None:
    """The clip is kept at src: whoever makes it, the stand-in and the real clip share a
    path (in the cache they may not)."""
    path = recipe(project, budget="[generate]\nmax_cost = 1", src="clips/student.mp4")
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "stand-ins: scenes[0] (to be made by the offline stand-in): a draft" in out
    assert main(["render", str(path)]) == 0
    err = capsys.readouterr().err
    assert "stand-in" in last_line(err) and "not for delivery" in last_line(err)
    video = project.folder / "out" / "recipe.mp4"
    manifest = json.loads(manifest_path(video).read_text(encoding="utf-8"))
    [entry] = manifest["stand_ins"]
    assert entry["key"] == "scenes[0].src" and entry["provider"] == "local"
    clip = project.folder / "clips" / "student.mp4"
    side = json.loads(provenance_path(clip).read_text("utf-8"))
    assert side["stand_in"] is True and side["provider"] == "local"
    assert side["request"]["prompt"] == "A student raises the left hand"

    before = video.stat().st_mtime_ns
    assert main(["render", str(path), "--final"]) == 2
    err = capsys.readouterr().err
    assert "--final: the video would contain 1 stand-in(s)" in err and "scenes[0]" in err
    assert video.stat().st_mtime_ns == before, "nothing written"

    with Simulator(latency=0.2, seed=3) as sim:  # the keys are set now
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        assert main(["plan", str(path)]) == 0
        assert "3.5 Kling API units = $0.49" in capsys.readouterr().out, "the stand-in is priced"
        assert main(["render", str(path), "--final"]) == 0
        err = capsys.readouterr().err
        assert sim.create_count == 1 and "made for real" in err and "stand-in(s)" not in err
        manifest = json.loads(manifest_path(video).read_text(encoding="utf-8"))
        assert manifest["stand_ins"] == [] and manifest["generated_usd"] == 0.49
        side = json.loads(provenance_path(clip).read_text("utf-8"))
        assert side["stand_in"] is False and side["provider"] == "kling" and side["task_id"]
        assert (side["cost"], side["unit"], side["money_usd"]) == (3.5, "Kling API units", 0.49)
        assert main(["render", str(path), "--final"]) == 0
        assert sim.create_count == 1, "the real clip is reused"


def test_keep_stand_in_pins_it_and_is_still_announced(
    project, offline, monkeypatch, capsys
) -> None:
    path = recipe(
        project,
        budget="[generate]\nmax_cost = 1",
        keep="  keep_stand_in = true",
        src="clips/student.mp4",
    )
    assert main(["render", str(path), "--quiet"]) == 0
    with Simulator(latency=0.2, seed=5) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        capsys.readouterr()
        assert main(["render", str(path)]) == 0
        assert sim.create_count == 0, "kept: nothing paid"
        assert "stand-in" in last_line(capsys.readouterr().err)
        assert main(["render", str(path), "--final"]) == 2


def test_batch_csv_counts_stand_ins_and_generated_dollars(project, kling, capsys) -> None:
    path = recipe(project, budget="[generate]\nmax_cost = 1", variants=TWO_VARIANTS)
    assert main(["render", str(path), "--quiet"]) == 0
    with open(project.folder / "out" / "batch.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["variant"], r["stand_ins"], r["generated_usd"]) for r in rows] == [
        ("a", "0", "0.49"),
        ("b", "0", "0.49"),
    ]


def test_a_cached_stand_in_is_not_reused_once_keys_are_set(
    project, offline, monkeypatch, capsys
) -> None:
    path = recipe(project, budget="[generate]\nmax_cost = 1")
    assert main(["render", str(path), "--quiet"]) == 0
    with Simulator(latency=0.2, seed=9) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        assert main(["render", str(path), "--final", "--quiet"]) == 0
        assert sim.create_count == 1
    video = project.folder / "out" / "recipe.mp4"
    assert json.loads(manifest_path(video).read_text(encoding="utf-8"))["stand_ins"] == []


def test_as_a_process_the_last_line_warns_and_final_exits_2(project, offline) -> None:
    """The command as a user runs it: the warning is the very last line it writes."""
    import subprocess
    import sys

    path = recipe(project, budget="[generate]\nmax_cost = 1")
    run = [sys.executable, "-m", "cmforge.cli", "render", str(path)]
    done = subprocess.run(run, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert last_line(done.stderr).startswith("cmforge: warning: 1 offline stand-in(s) in 1 video")
    final = subprocess.run([*run, "--final"], capture_output=True, text=True, check=False)
    assert final.returncode == 2 and "--final: the video would contain" in final.stderr
    assert "Traceback" not in final.stderr
