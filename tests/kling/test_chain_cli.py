"""The whole chain through the command line against the simulator: a Kling still, a Kling
clip made from it and a Kling-image logo, in two formats. One task per distinct request; a
rerun creates none; kill -9 of `cmforge generate` at any point, then a rerun, pays for
nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import cmforge
from cmforge.cli import main
from cmforge.generate.kling import Simulator

CHAIN = """[output]
size = [180, 320]
fps = 15
[generate]
max_cost = 5
[[stills]]
path = "gen/student.png"
provider = "kling"
prompt = "A student strikes a victory pose in a classroom"
aspect = "9:16"
[[stills]]
path = "gen/logo.png"
provider = "kling"
prompt = "A flat cherry-blossom logo, white background"
aspect = "1:1"
[[scenes]]
type = "clip"
src = "gen/student.mp4"
duration = 1.0
  [scenes.generate]
  image = "gen/student.png"
  prompt = "She raises a hand"
[[scenes]]
type = "endslate"
logo = "gen/logo.png"
text = "School"
duration = 1.0
[[variants]]
name = "tall"
[[variants]]
name = "wide"
output = {{ size = [320, 180] }}
"""
SRC = str(Path(cmforge.__file__).parents[1])


def tasks(sim: Simulator) -> list[dict]:
    return httpx.get(f"{sim.base_url}/_sim/tasks").json()


def distinct(listed: list[dict]) -> bool:
    return len({t["external_task_id"] for t in listed}) == len(listed)


@pytest.fixture
def kling(monkeypatch, media_dir):
    with Simulator(latency=0.8, seed=11, media_dir=media_dir) as sim:
        for k, v in sim.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CMFORGE_KLING_POLL_SCALE", "0.02")
        yield sim


def test_the_chain_in_two_formats_is_one_task_per_request(project, kling):
    path = project(CHAIN.format())
    assert main(["generate", str(path)]) == 0
    listed = tasks(kling)
    assert sorted(t["kind"] for t in listed) == ["image", "image", "image2video"]
    assert distinct(listed)
    assert main(["generate", str(path)]) == 0
    assert len(tasks(kling)) == 3, "a rerun creates nothing"


def _journal_has(journal: Path, needle: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if journal.exists() and needle in journal.read_text(encoding="utf-8"):
            return
        time.sleep(0.005)
    raise AssertionError(f"the run never journalled {needle}")


@pytest.mark.parametrize(
    "point",
    [
        '"event": "intent"',  # a still's create is about to be sent (or just was)
        '"event": "succeeded"',  # a still is being downloaded
        '"family": "image2video"',  # the clip's create is about to be sent
    ],
)
def test_kill_9_during_generate_then_rerun_pays_once(project, kling, point):
    """About 8 s each: two real `cmforge generate` processes (start-up, contact sheets)."""
    path = project(CHAIN.format())
    env = {**os.environ, "PYTHONPATH": SRC}
    argv = [sys.executable, "-m", "cmforge.cli", "generate", str(path)]
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _journal_has(project.folder / ".cmforge" / "cache" / "kling-journal.jsonl", point)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    assert len(tasks(kling)) <= 3 and distinct(tasks(kling))
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    listed = tasks(kling)
    assert sorted(t["kind"] for t in listed) == ["image", "image", "image2video"], listed
    assert distinct(listed)
    for name in ("student.png", "logo.png", "student.mp4"):
        assert (project.folder / "gen" / name).is_file()
    assert json.loads(json.dumps(listed))  # the listing is plain JSON
