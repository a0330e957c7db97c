"""The README's dry run against both simulators, run as written (only the two ports are
swapped for free ones, so parallel test runs do not collide)."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("<!-- dry-run -->\n```sh\n", 1)[1].split("```", 1)[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_readme_dry_run_works_as_written(tmp_path: Path) -> None:
    script = _block()
    assert "cmforge flux simulate" in script and "cmforge kling simulate" in script
    flux, kling = _free_port(), _free_port()
    script = script.replace("8766", str(flux)).replace("8765", str(kling))
    shim = tmp_path / "bin" / "cmforge"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m cmforge.cli "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KLING_", "BFL_", "CMFORGE_"))}
    env.update(PATH=f"{shim.parent}:{env['PATH']}", PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "FLUX credits" in out and "Kling API units" in out and "$" in out
    assert re.search(r"FLUX balance: 1000 FLUX credits", out)
    assert "3 FLUX still(s) to make: 12 FLUX credits = $0.12" in out
    tasks = json.loads(out.strip().splitlines()[-1])
    assert len(tasks) == 3 and all({"id", "kind", "created_at"} <= set(t) for t in tasks)
    made = tmp_path / "ad2"
    assert (made / "gen" / "student.png").is_file() and (made / "gen" / "student.mp4").is_file()
