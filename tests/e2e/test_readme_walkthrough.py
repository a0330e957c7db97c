"""The README's simulator walk-through works as written: its shell lines, taken from the
README itself, run in bash in an empty folder against the real simulator on loopback.

The only change ever made to them: when port 8765 is taken on this machine (another test, a
simulator someone left running), a free port replaces it, and the test says so."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import cmforge

ROOT = Path(__file__).resolve().parents[2]
HEADING = "### Trying Kling offline"
PORT = 8765


def walkthrough() -> str:
    """The first ```sh block after the walk-through's heading, as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(HEADING) :]
    found = re.search(r"^```sh\n(.*?)^```", after, re.S | re.M)
    assert found, "the walk-through has a ```sh block"
    return found.group(1)


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _a_free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    lines = walkthrough()
    assert "--latency 3" in lines and "--max-credits 10" in lines
    assert "CMFORGE_KLING_POLL_SCALE=0.05" in lines
    port = PORT
    if not _free(PORT):
        port = _a_free_port()
        lines = lines.replace(str(PORT), str(port))
        print(f"port {PORT} is taken here: the walk-through runs on {port}")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    shim = bin_ / "cmforge"  # `cmforge` on PATH: this checkout's code, this Python
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cmforge.cli "$@"\n', "utf-8")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "CMFORGE_KLING"))}
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(Path(cmforge.__file__).parents[1])
    folder = tmp_path / "walk"
    folder.mkdir()
    # stop the simulator however the lines end (its job, by its id, only if still running)
    script = "set -e\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + lines
    run = subprocess.run(
        ["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    said = run.stdout + run.stderr
    assert run.returncode == 0, said
    assert "Traceback" not in said and "Warning" not in said, said
    out = folder / "kling-demo" / "out"
    assert "kling-demo/out/prompt-to-clip.preview.mp4\n" in run.stdout  # as the README says
    manifest = json.loads((out / "prompt-to-clip.preview.manifest.json").read_text("utf-8"))
    [clip] = [
        s["generated"]
        for s in manifest["sources"]
        if (s.get("generated") or {}).get("provider") == "kling"
    ]
    assert clip["units"] == 2 and clip["created_now"]
    assert "generate with kling" in run.stdout  # plan said so before anything was spent
    assert re.search(r"scenes\[1\]\s+downloaded task \d+\s+units 2", run.stdout)
    assert "998 of 1000 left" in run.stdout  # kling status: the account paid 2 credits
    deadline = time.monotonic() + 10
    while not _free(port) and time.monotonic() < deadline:  # `kill %1` stopped it
        time.sleep(0.2)
    assert _free(port), "the simulator was stopped"
