"""What text that moves costs: the school-ad template (15 s, 1080x1920, 30 fps) rendered with
still text and with moving text, interleaved, every render cold. Target: moving text adds at
most 15 % wall time.

    .venv/bin/python bench/animation.py [--runs 3]

static    titles as still cards (animate = "none"), captions with today's 0.2 s fade, a still
          end slate (animate = "none")
animated  the title pops in over a slow push-in with a **highlighted** word and its second line
          staggered, captions come in phrase by phrase (words) on a band, the end slate's
          parts rise in one after another and its button pops in and pulses
Each case starts cold: no rasterised text, no measured sound, the segment cache off; the
generated stand-in clip is made once, before timing.
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
REPO = BENCH.parent
WORK = BENCH / "work" / "animation"
CMFORGE = str(Path(sys.executable).parent / "cmforge")
CASES = {
    "static": {
        "title": 'animate = "none"\n',
        "caption": "",
        "style": "",
        "slate": 'animate = "none"\n',
    },
    "animated": {
        "title": 'animate = { in = "pop", duration = 0.45 }\n',
        "caption": 'animate = "words"\n',
        "style": 'highlight = "#ffd166"\ncaption = { look = "band", color = "#000000b0" }\n',
        "slate": 'animate = { in = "slide-up", cta = "pop" }\n',
    },
}


def prepare() -> dict[str, Path]:
    if WORK.exists():
        shutil.rmtree(WORK)
    (WORK / "templates").mkdir(parents=True)
    shutil.copytree(REPO / "sample_assets", WORK / "sample_assets")
    text = (REPO / "templates" / "school-ad.toml").read_text(encoding="utf-8")
    text = text[: text.index("[[variants]]")]
    out = {}
    for name, keys in CASES.items():
        t = text.replace('headline = "合格実績 No.1!"', 'headline = "**合格**実績 No.1!"')
        t = t.replace('type = "title"\n', 'type = "title"\n' + keys["title"], 1)
        t = t.replace("[[captions]]\n", "[[captions]]\n" + keys["caption"])
        t = t.replace("[style]\n", "[style]\n" + keys["style"], 1)
        t = t.replace('type = "endslate"\n', 'type = "endslate"\n' + keys["slate"], 1)
        path = WORK / "templates" / f"{name}.toml"
        path.write_text(t, encoding="utf-8")
        out[name] = path
    return out


def cold(recipe: Path) -> None:
    keep = recipe.parent / ".cmforge" / "cache"
    for sub in ("stills", "loudness", "duck", "music"):
        shutil.rmtree(keep / sub, ignore_errors=True)
    shutil.rmtree(recipe.parent / "out", ignore_errors=True)


def run(recipe: Path) -> float:
    env = {**os.environ, "CMFORGE_CACHE": "off"}
    t = time.perf_counter()
    subprocess.run(
        [CMFORGE, "render", str(recipe), "--quiet"], check=True, env=env, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    recipes = prepare()
    run(recipes["static"])  # makes the stand-in clip once; page cache warm
    times: dict[str, list[float]] = {k: [] for k in recipes}
    for i in range(args.runs):
        order = list(recipes) if i % 2 == 0 else list(reversed(recipes))
        for name in order:
            cold(recipes[name])
            times[name].append(run(recipes[name]))
            print(f"  run {i + 1} {name}: {times[name][-1]:.2f} s", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    extra = med["animated"] / med["static"] - 1
    result = {
        "workload": "school ad template, 15 s, 1080x1920, 30 fps, one variant",
        "runs": args.runs,
        "seconds": {k: [round(x, 2) for x in v] for k, v in times.items()},
        "median_s": {k: round(v, 2) for k, v in med.items()},
        "animated_over_static": f"{extra * 100:+.1f} %",
        "target": "moving text adds <= 15 % wall time",
        "verdict": "PASS" if extra <= 0.15 else "FAIL",
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "animation.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
