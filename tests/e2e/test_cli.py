"""The command line: plan, render, preview, schema, templates, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from look import facts

from cmforge.cli import main

RECIPE = """[output]
size = [180, 320]
fps = 15
[vars]
who = "world"
[[scenes]]
type = "title"
text = "hello {{who}}"
duration = 1.0
[[scenes]]
type = "title"
text = "two"
duration = 1.0
transition = { type = "wipeleft", duration = 0.2 }
[[variants]]
name = "a"
[[variants]]
name = "b"
vars = { who = "B" }
"""


def test_plan_table_json_and_ffmpeg(project, capsys) -> None:
    path = project(RECIPE)
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out
    assert "a: 180x320 15 fps" in out and "wipeleft 0.20s" in out and "b: 180x320" in out
    assert main(["plan", str(path), "--json", "--variant", "b"]) == 0
    [plan] = json.loads(capsys.readouterr().out)
    assert plan["variant"] == "b" and plan["frames"] == 27
    assert [s["start"] for s in plan["scenes"]] == [0.0, 0.8]
    assert main(["plan", str(path), "--ffmpeg", "--variant", "a"]) == 0
    cmd = capsys.readouterr().out
    assert "-filter_complex" in cmd and "xfade=transition=wipeleft" in cmd
    assert not (project.folder / "out").exists(), "plan renders nothing"


def test_render_prints_paths_and_quiet(project, capsys) -> None:
    path = project(RECIPE)
    assert main(["render", str(path), "--quiet", "--variant", "a"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().endswith("out/a.mp4") and captured.err == ""
    assert facts(project.folder / "out" / "a.mp4").frames == 27


def test_preview_is_a_quarter_size_draft(project, capsys) -> None:
    path = project(RECIPE)
    assert main(["render", str(path), "--preview", "--quiet", "--variant", "b"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith("b.preview.mp4")
    f = facts(project.folder / "out" / "b.preview.mp4")
    assert (f.width, f.height, f.frames) == (90, 160, 27)


def test_schema_and_templates(capsys) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "scenes" in schema["properties"] and schema["required"] == ["scenes"]
    assert main(["templates"]) == 0
    assert "school-ad" in capsys.readouterr().out


def test_exit_codes_as_a_process(project) -> None:
    bad = project('[[scenes]]\ntype = "title"\nduration = 0\n', "bad.toml")
    run = subprocess.run(
        [sys.executable, "-m", "cmforge.cli", "validate", str(bad)], capture_output=True, text=True
    )
    assert run.returncode == 2 and "scenes[0].duration" in run.stderr
    good = project(RECIPE)
    run = subprocess.run(
        [sys.executable, "-m", "cmforge.cli", "validate", str(good)], capture_output=True, text=True
    )
    assert run.returncode == 0 and "ok: a" in run.stdout
