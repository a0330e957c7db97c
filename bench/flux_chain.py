"""The prompt -> still -> clip chain against the two simulators: 4 FLUX stills and 4 Kling
clips (each animating one still), both simulators at latency L, the providers' own polling
(no scaling). What is timed is the generation stage (`generate_all`) of a planned recipe;
the target of issue 11 is at most 2.6 L.

Measured on this machine (4 runs each, median; see bench/README.md): L = 5 s: 11.04 s =
2.21 L (met); L = 2 s: 4.87 s = 2.43 L (2.29-2.62 L: met in 3 of 4 runs on the shared
machine). Kling's poll schedule (first query after 1 s, then every 0.5 s, then a fifth of the
time waited, at most 10 s apart) replaced a fixed 5 s first poll, which gave 3.83 L at L = 2.

    PYTHONPATH=src python bench/flux_chain.py --latency 2
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cmforge import load_recipe, plan
from cmforge.assets.generation import generate_all
from cmforge.generate.flux.sim import Simulator as FluxSim
from cmforge.generate.kling import Simulator as KlingSim


def recipe_text(n: int) -> str:
    out = ["[output]\nsize = [72, 128]\nfps = 10\n[generate]\nmax_cost = 10\n"]
    for i in range(n):
        out.append(f'[[stills]]\npath = "gen/s{i}.png"\nprovider = "flux"\nprompt = "still {i}"\n')
    for i in range(n):
        out.append(
            f'[[scenes]]\ntype = "clip"\nsrc = "gen/c{i}.mp4"\nduration = 1.0\n'
            f'  [scenes.generate]\n  provider = "kling"\n  image = "gen/s{i}.png"\n'
            f'  prompt = "clip {i}"\n'
        )
    return "".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=2.0, help="seconds per result (L)")
    ap.add_argument("--pairs", type=int, default=4)
    args = ap.parse_args()
    L = args.latency
    media = Path(tempfile.mkdtemp(prefix="cmforge-flux-chain-media-"))
    with FluxSim(latency=L) as flux, KlingSim(latency=L, media_dir=media) as kling:
        kling.clips.clip(5, "9:16")  # the simulator's result clip, made before the clock starts
        os.environ.update({**flux.env(), **kling.env()})
        folder = Path(tempfile.mkdtemp(prefix="cmforge-flux-chain-"))
        path = folder / "chain.toml"
        path.write_text(recipe_text(args.pairs), encoding="utf-8")
        [recipe] = load_recipe(path)
        p = plan(recipe)
        started = time.perf_counter()
        verbose = bool(os.environ.get("VERBOSE"))  # VERBOSE=1: every event with its time

        def say(message: str) -> None:
            if verbose:
                print(f"{time.perf_counter() - started:6.2f} {message}")

        generate_all(recipe, p.assets, say)
        took = time.perf_counter() - started
        print(f"FLUX tasks {len(flux.tasks)}, Kling tasks {kling.create_count}")
    ratio = took / L
    print(
        f"chain of {args.pairs} FLUX stills + {args.pairs} Kling clips: "
        f"{took:.2f} s = {ratio:.2f} L"
    )
    print(f"target <= 2.6 L: {'met' if ratio <= 2.6 else 'MISSED'}")
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(media, ignore_errors=True)
    return 0 if ratio <= 2.6 else 1


if __name__ == "__main__":
    sys.exit(main())
