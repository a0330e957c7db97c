"""Eight variants of the school ad that differ only in the headline, against one render.
Target: the eight in <= 2.5x the time of one render, on this 2-core machine.

    .venv/bin/python bench/variants_bench.py [--runs 2]

The recipe is templates/school-ad.toml with its [[variants]] replaced by
`[matrix] headline = [8 headlines]` (all vertical 1080x1920, 15 s, loudness and ducking on).
Cases, interleaved, each starting cold (empty segment cache, no rasterised text cards, no
measured sound; the generated stand-in clip is made once, before timing):
  one              one variant
  8 serial, off    the 8 one after another, segment cache off (CMFORGE_CACHE=off)
  8 cached, jobs 1 the 8 with the segment cache, one at a time
  8 cached, jobs 2 the 8 with the segment cache, two at a time
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
WORK = BENCH / "work" / "variants"
CMFORGE = str(Path(sys.executable).parent / "cmforge")
HEADLINES = [
    "合格実績 No.1!",
    "今なら入塾金 0円",
    "無料体験 実施中",
    "春期講習 受付中",
    "定期テスト対策",
    "個別指導で苦手克服",
    "自習室 使い放題",
    "兄弟割引あり",
]


def prepare() -> Path:
    if WORK.exists():
        shutil.rmtree(WORK)
    (WORK / "templates").mkdir(parents=True)
    shutil.copytree(REPO / "sample_assets", WORK / "sample_assets")
    text = (REPO / "templates" / "school-ad.toml").read_text(encoding="utf-8")
    text = text[: text.index("[[variants]]")]
    text += "[matrix]\nheadline = " + json.dumps(HEADLINES, ensure_ascii=False) + "\n"
    recipe = WORK / "templates" / "v8.toml"
    recipe.write_text(text, encoding="utf-8")
    return recipe


def cold(recipe: Path, cache: Path) -> None:
    keep = recipe.parent / ".cmforge" / "cache"
    for sub in ("stills", "loudness", "duck", "music"):
        shutil.rmtree(keep / sub, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(recipe.parent / "out", ignore_errors=True)


def run(recipe: Path, cache: str, extra: list[str]) -> float:
    env = {**os.environ, "CMFORGE_CACHE": cache}
    t = time.perf_counter()
    subprocess.run(
        [CMFORGE, "render", str(recipe), "--quiet", *extra],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    recipe = prepare()
    cache = WORK / "segment-cache"
    first = json.dumps(HEADLINES[0], ensure_ascii=False)
    one = ["--variant", f"headline={HEADLINES[0]}"]
    run(recipe, "off", one)  # makes the stand-in clip once; page cache warm
    cases = {
        "one": (str(cache), one),
        "8 serial, cache off": ("off", ["--jobs", "1"]),
        "8 cached, jobs 1": (str(cache), ["--jobs", "1"]),
        "8 cached, jobs 2": (str(cache), ["--jobs", "2"]),
    }
    times: dict[str, list[float]] = {k: [] for k in cases}
    for i in range(args.runs):
        order = list(cases) if i % 2 == 0 else list(reversed(cases))
        for name in order:
            cold(recipe, cache)
            times[name].append(run(recipe, *cases[name]))
            print(f"  run {i + 1} {name}: {times[name][-1]:.2f} s", file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}
    ratios = {k: round(v / med["one"], 2) for k, v in med.items()}
    best = min(ratios["8 cached, jobs 1"], ratios["8 cached, jobs 2"])
    result = {
        "workload": "school ad, 15 s, 1080x1920, 8 headline variants via [matrix]",
        "first_headline": first,
        "runs": args.runs,
        "seconds": times,
        "median_s": {k: round(v, 2) for k, v in med.items()},
        "over_one": ratios,
        "target": "8 variants <= 2.5x one render",
        "verdict": "PASS" if best <= 2.5 else "FAIL",
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "variants.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
