"""The prompt -> still -> clip chain: 4 stills and 4 clips (each clip animates one of the
stills) made by providers that take a fixed latency L per result. Stills run in parallel and
each clip starts as soon as its own still exists, so the whole chain should take about 2 L;
target: at most 2.6 L.

    .venv/bin/python bench/chain.py --latency 2

The two providers are registered by this script only (a still maker and a clip maker both
named "bench"): each sleeps L, then writes its file (a PNG; a copy of a tiny MP4 made before
the clock starts). What is timed is the generation stage (`generate_all`) of a planned recipe.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from PIL import Image

from cmforge import load_recipe, plan
from cmforge.assets.generation import generate_all
from cmforge.generate import GenerationJob, GenerationResult, Provider, register, unregister
from cmforge.media.ffmpeg import ffmpeg_binary

LATENCY = 2.0
SPANS: list[tuple[str, float, float]] = []  # (job, start, end) from the clock's start
CLOCK = [0.0]
TINY = Path(tempfile.mkdtemp(prefix="cmforge-chain-")) / "tiny.mp4"


class _Timed(Provider):
    name = "bench"
    at_once_n: ClassVar[int] = 4

    def at_once(self) -> int:
        return self.at_once_n

    def estimate(self, job: GenerationJob) -> dict:
        return {"provider": self.name, "credits": 0, "money": 0.0, "currency": "USD", "what": ""}

    def _wait(self, job: GenerationJob) -> float:
        start = time.perf_counter() - CLOCK[0]
        time.sleep(LATENCY)
        return start


class BenchStill(_Timed):
    makes = "still"
    suffix = ".png"

    def generate(self, job: GenerationJob, on_status, take: int = 1) -> GenerationResult:  # noqa: ANN001
        start = self._wait(job)
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (72, 128), (90, 90, 96)).save(job.dest)
        SPANS.append((job.scene_key, start, time.perf_counter() - CLOCK[0]))
        return GenerationResult(job.dest, self.name, job.request())


class BenchClip(_Timed):
    makes = "clip"

    def generate(self, job: GenerationJob, on_status, take: int = 1) -> GenerationResult:  # noqa: ANN001
        assert job.generate.image is not None and job.generate.image.is_file(), "still not made"
        start = self._wait(job)
        job.dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TINY, job.dest)
        SPANS.append((job.scene_key, start, time.perf_counter() - CLOCK[0]))
        return GenerationResult(job.dest, self.name, job.request())


def recipe_text(n: int) -> str:
    out = ["[output]\nsize = [72, 128]\nfps = 10\n"]
    for i in range(n):
        out.append(f'[[stills]]\npath = "gen/s{i}.png"\nprovider = "bench"\nprompt = "still {i}"\n')
    for i in range(n):
        out.append(
            f'[[scenes]]\ntype = "clip"\nsrc = "gen/c{i}.mp4"\nduration = 1.0\n'
            f'  [scenes.generate]\n  provider = "bench"\n  image = "gen/s{i}.png"\n'
            f'  prompt = "clip {i}"\n'
        )
    return "".join(out)


def main() -> int:
    global LATENCY
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=LATENCY, help="seconds per result (L)")
    ap.add_argument("--pairs", type=int, default=4, help="stills (and clips) in the chain")
    args = ap.parse_args()
    LATENCY = args.latency
    subprocess.run(
        [ffmpeg_binary(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=72x128:r=10:d=5"]
        + ["-pix_fmt", "yuv420p", str(TINY)],
        check=True,
    )
    register(BenchStill)
    register(BenchClip)
    try:
        folder = Path(tempfile.mkdtemp(prefix="cmforge-chain-"))
        path = folder / "chain.toml"
        path.write_text(recipe_text(args.pairs), encoding="utf-8")
        [recipe] = load_recipe(path)
        p = plan(recipe)  # the clips are priced before their stills exist
        stills = sum(g["makes"] == "still" for g in p.generation)
        print(f"planned: {stills} stills, {len(p.generation) - stills} clips, L = {LATENCY:g} s")
        CLOCK[0] = time.perf_counter()
        generate_all(recipe, p.assets, lambda _m: None)
        took = time.perf_counter() - CLOCK[0]
    finally:
        unregister("bench", "still")
        unregister("bench", "clip")
    for key, start, end in sorted(SPANS, key=lambda s: s[1]):
        print(f"  {key:<12} {start:6.2f} -> {end:6.2f} s")
    ratio = took / LATENCY
    target = 2.6
    print(f"chain of {args.pairs} stills + {args.pairs} clips: {took:.2f} s = {ratio:.2f} L")
    print(f"target <= {target} L: {'met' if ratio <= target else 'MISSED'}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if ratio <= target else 1


if __name__ == "__main__":
    sys.exit(main())
