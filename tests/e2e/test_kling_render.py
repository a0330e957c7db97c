"""A render that generates its clip through Kling: the loopback simulator speaks the protocol,
the budget is checked before anything is spent, and nothing is paid twice."""

from __future__ import annotations

import json

import media
import pytest
from look import facts

from cmforge.cli import main
from cmforge.generate.kling import Simulator
from cmforge.render.manifest import manifest_path

RECIPE = """[output]
size = [180, 320]
fps = 15
{budget}
[[scenes]]
type = "clip"
src = "clips/student.mp4"
duration = 2.0
  [scenes.generate]
  image = "student.png"
  prompt = "A student raises a hand in a bright classroom"
  mode = "std"
  length = 5
"""


@pytest.fixture
def kling(monkeypatch):
    with Simulator(latency=0.3, seed=7) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        yield sim


def test_render_generates_through_kling_once(project, kling, capsys) -> None:
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget="[generate]\nmax_credits = 100"))
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "generate with kling" in out and "credits" in out
    assert kling.create_count == 0, "plan spends nothing"
    assert main(["render", str(path)]) == 0
    err = capsys.readouterr().err
    assert "generating with kling" in err
    assert kling.create_count == 1
    video = project.folder / "out" / "recipe.mp4"
    assert facts(video).frames == 30
    manifest = json.loads(manifest_path(video).read_text(encoding="utf-8"))
    [gen] = [s["generated"] for s in manifest["sources"] if "generated" in s]
    assert gen["provider"] == "kling" and gen["task_id"] and gen["cost"] > 0
    text = manifest_path(video).read_text(encoding="utf-8") + err + out
    journal = project.folder / ".cmforge" / "cache" / "kling-journal.jsonl"
    text += journal.read_text(encoding="utf-8")
    assert kling.secret_key not in text and kling.access_key not in text, "no secret anywhere"
    requests = kling.request_count
    assert main(["render", str(path)]) == 0
    assert kling.create_count == 1 and kling.request_count == requests, "reused, no HTTP at all"


def test_over_budget_is_refused_before_any_request(project, kling, capsys) -> None:
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget=""))
    assert main(["render", str(path)]) == 2
    err = capsys.readouterr().err
    assert "above the budget of $0.00" in err and "scenes[0]" in err and "--max-credits" in err
    assert kling.request_count == 0 and not (project.folder / "out").exists()
    assert main(["render", str(path), "--max-credits", "1000"]) == 0
    assert kling.create_count == 1


def test_without_credentials_the_local_stand_in_says_so(project, monkeypatch, capsys) -> None:
    monkeypatch.delenv("KLING_ACCESS_KEY", raising=False)
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget=""))
    assert main(["render", str(path)]) == 0
    assert "generating with local (no KLING_ACCESS_KEY" in capsys.readouterr().err


def test_kling_commands(project, kling, capsys) -> None:
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget="[generate]\nmax_credits = 100"))
    assert main(["render", str(path), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["kling", "status", "--recipe", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 task(s)" in out and "scenes[0]" in out and "account:" in out
    assert main(["kling", "simulate", "--port", "0", "--serve-for", "0.2"]) == 0
    assert "http://127.0.0.1:" in capsys.readouterr().out


def _render_proc(path, extra=()):  # noqa: ANN001, ANN202
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "cmforge.cli", "render", str(path), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("when", ["creating", "resuming|done|processing"])
def test_kill_9_during_generation_then_rerun(project, kling, when) -> None:
    import re
    import signal

    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget="[generate]\nmax_credits = 100"))
    proc = _render_proc(path)
    for line in proc.stderr:
        if re.search(when, line):
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    rerun = _render_proc(path)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert kling.create_count == 1, "the rerun found the task instead of paying again"
    assert facts(project.folder / "out" / "recipe.mp4").frames == 30


def test_two_renders_at_once_create_one_task(project, kling) -> None:
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget="[generate]\nmax_credits = 100"))
    a, b = _render_proc(path), _render_proc(path)
    for p in (a, b):
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert kling.create_count == 1


def test_every_take_counts_against_the_budget(project, kling, capsys) -> None:
    media.still(project.folder / "student.png", (720, 1280))
    path = project(RECIPE.format(budget="").replace("length = 5", "length = 5\n  takes = 3"))
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "3 take(s)" in out
    one_take = float(out.split("3 take(s), ")[1].split(" Kling API units")[0]) / 3
    assert main(["render", str(path), "--max-credits", str(one_take * 2)]) == 2
    assert "3 clip(s)" in capsys.readouterr().err and kling.request_count == 0
