"""Four clips generated through Kling against the loopback simulator at latency L, then the
render. Target: the four (generated concurrently) done in <= 1.3 L, plus the render time.

    .venv/bin/python bench/kling_bench.py [--latency 20]

L is the simulator's latency: the seconds a std 5 s clip takes from create to success.
Polling is scaled by L/60 (CMFORGE_KLING_POLL_SCALE), as a real 60 s task is polled every 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

import cmforge
from cmforge.generate.kling import Simulator

RECIPE = """[output]
format = "vertical"
fps = 30
[generate]
max_credits = 1000
{scenes}
"""
SCENE = """[[scenes]]
type = "clip"
duration = 4.0
  [scenes.generate]
  image = "still.png"
  prompt = "take {n}: a student raises a hand in a bright classroom"
  mode = "std"
  length = 5
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--latency", type=float, default=20.0)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cmforge-kling-bench-"))
    Image.new("RGB", (720, 1280), (40, 80, 160)).save(folder / "still.png")
    recipe = folder / "four.toml"
    recipe.write_text(
        RECIPE.format(scenes="".join(SCENE.format(n=n) for n in range(4))), encoding="utf-8"
    )
    events: list[tuple[float, str]] = []
    with Simulator(latency=args.latency, seed=3) as sim:
        os.environ.update(sim.env())
        os.environ["CMFORGE_KLING_POLL_SCALE"] = str(args.latency / 60)
        [r] = cmforge.load_recipe(recipe)
        start = time.perf_counter()
        cmforge.render(r, on_event=lambda m: events.append((time.perf_counter() - start, m)))
        total = time.perf_counter() - start
        creates = sim.create_count
    done = [t for t, m in events if "downloaded" in m or "saved" in m]
    gen = max(done) if done else max(t for t, _ in events)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"latency L = {args.latency:g} s; creates = {creates}")
    print(f"four clips generated in {gen:.1f} s = {gen / args.latency:.2f} L (target <= 1.3 L)")
    print(f"render after generation: {total - gen:.1f} s; total {total:.1f} s")
    return 0 if gen <= 1.3 * args.latency else 1


if __name__ == "__main__":
    sys.exit(main())
