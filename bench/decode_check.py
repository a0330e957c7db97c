"""What the cut-short check (media/decode.py) costs: the check alone, cold (nothing cached),
on each variant of a recipe (wall and CPU time: CPU is the steadier figure on a busy
machine), beside check() (probes cached by then).

    PYTHONPATH=src .venv/bin/python bench/decode_check.py [templates/school-ad.toml]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cmforge.assets import gather, load_recipe, with_sources
from cmforge.assets.media import decode_problems, stand_in
from cmforge.media import decode
from cmforge.pipeline import check
from cmforge.timeline import resolve_timeline


def main(recipe: Path) -> None:
    for r in load_recipe(recipe):
        assets = gather(r)
        media = {**assets.media, **{job.dest: stand_in(job) for job in assets.jobs}}
        tl = resolve_timeline(with_sources(r, assets), media)
        decode._check_end.cache_clear()
        t, cpu = time.perf_counter(), time.process_time()
        problems = decode_problems(tl, assets)
        alone, cpu = time.perf_counter() - t, time.process_time() - cpu
        decode._check_end.cache_clear()
        t = time.perf_counter()
        check(r)
        whole = time.perf_counter() - t
        print(
            f"{r.variant}: decode check {alone:.3f} s (cold; CPU {cpu:.3f} s), "
            f"check() with it {whole:.3f} s (probes cached), {len(problems)} problem(s)"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/school-ad.toml"))
