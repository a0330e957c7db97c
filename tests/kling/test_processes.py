"""Separate processes: kill -9 during generation, and two runs of the same clip at once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kling_helpers import client_for, generate_record, job_of, provider_for

from cmforge.generate.kling import Simulator
from cmforge.media.probe import probe

CHILD = Path(__file__).with_name("kling_child.py")
PROMPT = "a red sneaker turning on a white table"


def start_child(sim: Simulator, folder: Path) -> subprocess.Popen:
    argv = [
        sys.executable,
        str(CHILD),
        sim.base_url,
        sim.access_key,
        sim.secret_key,
        str(folder),
        PROMPT,
    ]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_event(journal: Path, event: str, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if journal.exists() and f'"event": "{event}"' in journal.read_text():
            return
        time.sleep(0.01)
    raise AssertionError(f"the child never wrote {event}")


@pytest.mark.parametrize("kill_after", ["intent", "created", "succeeded"])
def test_kill_9_then_rerun_pays_once_and_completes(media_dir, tmp_path, kill_after):
    with Simulator(latency=0.8, seed=5, media_dir=media_dir) as sim:
        child = start_child(sim, tmp_path)
        wait_for_event(tmp_path / "kling-journal.jsonl", kill_after)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        assert sim.create_count <= 1
        job = job_of(generate_record(prompt=PROMPT), tmp_path / "clips" / "shot.mp4")
        result = provider_for(client_for(sim), tmp_path).generate(job, lambda m: None)
        assert sim.create_count == 1 and result.task_id in sim.tasks
        assert probe(job.dest).duration == 5.0


def test_two_processes_on_one_clip_create_one_task(media_dir, tmp_path):
    with Simulator(latency=0.5, seed=6, media_dir=media_dir) as sim:
        children = [start_child(sim, tmp_path) for _ in range(2)]
        outs = [child.communicate(timeout=30) for child in children]
        assert [c.returncode for c in children] == [0, 0], outs
        results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
        assert sim.create_count == 1
        assert sorted(r["reused"] for r in results) == [False, True]
        assert results[0]["task_id"] == results[1]["task_id"]
