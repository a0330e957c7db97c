"""Paid tasks per format: `cmforge generate` of templates/school-ad.toml (one image-to-video
clip) against the Kling simulator, in vertical, then landscape, then as written (a-results
vertical, b-free square), then vertical again; counts the tasks the simulator created.

    .venv/bin/python bench/kling_formats.py [--src PATH/TO/src] [--old-budget]

`--src` runs another checkout's cmforge (e.g. main's src, with `--old-budget` when it has no
--max-cost) against the same simulator, so the counts compare versions in one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "src"))

from cmforge.generate.kling import Simulator  # noqa: E402

RUNS = [
    ("vertical (both variants)", ["--set", "output.format=vertical"]),
    ("landscape (both variants)", ["--set", "output.format=landscape"]),
    ("as written: a-results vertical, b-free square", []),
    ("vertical again", ["--set", "output.format=vertical"]),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=HERE / "src", help="the cmforge to run")
    ap.add_argument("--old-budget", action="store_true", help="only --max-credits (no --max-cost)")
    args = ap.parse_args()
    repo = args.src.resolve().parent
    budget = ["--max-credits", "100"] + ([] if args.old_budget else ["--max-cost", "100"])
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("templates", "sample_assets"):
            shutil.copytree(repo / part, Path(tmp) / part)
        recipe = Path(tmp) / "templates" / "school-ad.toml"
        with Simulator(latency=0.5, seed=1) as sim:
            env = {**os.environ, **sim.env(), "PYTHONPATH": str(args.src)}
            env["CMFORGE_KLING_POLL_SCALE"] = "0.02"
            before = 0
            for name, extra in RUNS:
                argv = [sys.executable, "-m", "cmforge.cli", "generate", str(recipe), *budget]
                done = subprocess.run([*argv, *extra], env=env, capture_output=True, text=True)
                if done.returncode:
                    print(done.stderr[-2000:], file=sys.stderr)
                    return 1
                units = sum(t.units for t in sim.tasks.values())
                print(f"{name}: {sim.create_count - before} task(s) created "
                      f"(total {sim.create_count}, {units:g} Kling API units)")  # fmt: skip
                before = sim.create_count
    return 0


if __name__ == "__main__":
    sys.exit(main())
