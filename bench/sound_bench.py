"""The sound work's cost: the school-ad workload rendered with loudness delivery and ducking on
vs off, interleaved in one run. Target: the sound work adds at most 15 % to the wall time.

    .venv/bin/python bench/sound_bench.py [--seconds 30] [--runs 3]

"on" is the workload recipe plus `output.loudness = "web"` and `[music] duck = -8` (the music
ducks under the clips that carry their own sound); "off" is the same recipe without them.
Each render starts cold: text cards cleared (as in bench/run.py), segment cache off.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import workload  # noqa: E402

WORK = BENCH / "work"
OUT = WORK / "out-sound"
CMFORGE = [str(Path(sys.executable).parent / "cmforge")]


def recipes(seconds: int) -> dict[str, Path]:
    base = workload.recipe_toml(workload.timeline(seconds, "fade"))
    on = base.replace("[output]\n", '[output]\nloudness = "web"\n', 1).replace(
        "[music]\n", "[music]\nduck = -8\n", 1
    )
    out = {}
    for name, text in (("off", base), ("on", on)):
        path = WORK / f"sound-{name}-{seconds}s.toml"
        path.write_text(text, encoding="utf-8")
        out[name] = path
    return out


def render(recipe: Path) -> float:
    shutil.rmtree(WORK / ".cmforge", ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [*CMFORGE, "render", str(recipe), "--output", str(OUT), "--quiet"],
        check=True,
        cwd=BENCH.parent,
        env={**os.environ, "CMFORGE_CACHE": "off"},  # every render from scratch
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=int, default=30, help="workload length: 15, 30 or 60")
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs per case")
    args = ap.parse_args()
    print("preparing the workload media ...", file=sys.stderr)
    workload.build_media(WORK, log=lambda m: print(m, file=sys.stderr))
    paths = recipes(args.seconds)
    times: dict[str, list[float]] = {"off": [], "on": []}
    render(paths["off"])  # warm-up: page cache, Python imports
    for i in range(args.runs):
        for name in ("off", "on") if i % 2 == 0 else ("on", "off"):
            times[name].append(render(paths[name]))
            print(f"  run {i + 1} {name}: {times[name][-1]:.2f} s", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    overhead = med["on"] / med["off"] - 1
    manifest = json.loads((OUT / f"{paths['on'].stem}.manifest.json").read_text(encoding="utf-8"))
    loud = manifest["loudness"]
    result = {
        "workload": f"school ad, {args.seconds} s, 1080x1920, 30 fps",
        "runs": args.runs,
        "off_s": times["off"],
        "on_s": times["on"],
        "median_off_s": round(med["off"], 2),
        "median_on_s": round(med["on"], 2),
        "overhead": round(overhead, 4),
        "target": "<= 0.15",
        "verdict": "PASS" if overhead <= 0.15 else "FAIL",
        "delivered": {k: loud.get(k) for k in ("integrated_lufs", "true_peak_dbtp", "lra_lu")},
        "limited": loud.get("limited"),
    }
    print(json.dumps(result, indent=2))
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "sound.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
