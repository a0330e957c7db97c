"""The order of a run's generation jobs: stills first, and each clip whose image is a still
of this run as soon as that still exists (its job settled then: fingerprinted from the
still's bytes, like any image-to-video job)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from pathlib import Path

from ..errors import CmforgeError, GenerationError
from ..generate import GenerationJob, GenerationResult, jobs_for
from ..generate.jobs import waits_for
from ..media.probe import ProbeError, probe
from ..recipe.model import Recipe
from .media import Assets
from .standins import needs_real

One = Callable[[GenerationJob], GenerationResult]


def settled(recipe: Recipe, assets: Assets, job: GenerationJob) -> GenerationJob:
    """A clip job as it is made once its stills exist: the ordinary job of its scene."""
    scene = assets.chained.get(job.dest)
    if scene is None:
        return job
    size = (recipe.output.width, recipe.output.height)
    return jobs_for(scene, recipe.folder, size)[job.take - 1]


def run_chained(
    recipe: Recipe, assets: Assets, pool: Executor, one: One, say: Callable[[str], None]
) -> tuple[dict[Path, GenerationResult], list[CmforgeError]]:
    """Run `one` on every job in `pool`, each job once the stills it reads are made; a clip
    whose still failed is not started. Returns the results by file and the failures."""
    making = {j.dest for j in assets.jobs if j.makes == "still"}
    waiting = [(job, {p for p in waits_for(job) if p in making}) for job in assets.jobs]
    made: set[Path] = set()
    failed: dict[Path, str] = {}
    running: dict[Future, GenerationJob] = {}
    results: dict[Path, GenerationResult] = {}
    errors: list[CmforgeError] = []
    while waiting or running:
        still_waiting = []
        for job, needs in waiting:
            lost = [failed[p] for p in needs if p in failed]
            if lost:
                errors.append(
                    GenerationError(f"{job.scene_key}: not generated, its still failed: {lost[0]}")
                )
            elif needs <= made:
                ready = settled(recipe, assets, job)
                if (
                    ready is not job
                    and _usable(ready.dest)
                    and not needs_real(ready, recipe.folder)  # a stand-in is made for real
                ):
                    say(f"{job.scene_key}: made before from the same still, reused")
                    continue
                running[pool.submit(one, ready)] = job
            else:
                still_waiting.append((job, needs))
        waiting = still_waiting
        if not running:
            break
        done, _ = wait(list(running), return_when=FIRST_COMPLETED)
        for future in done:
            job = running.pop(future)
            try:
                result = future.result()
            except CmforgeError as exc:
                errors.append(exc)
                failed[job.dest] = job.scene_key
                continue
            results[result.path] = result
            made.add(job.dest)
    return results, errors


def _usable(path: Path) -> bool:
    try:
        probe(path)
    except ProbeError:
        return False
    return True
