"""Stills and clips to generate: what each costs and who makes it (nothing spent), and making
them, each by the provider the contract chose for it (generate/)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..generate import GenerationJob, GenerationResult, Provider, provider_named
from ..generate.jobs import waits_for
from ..recipe.model import Recipe
from .chain import run_chained
from .media import Assets
from .standins import drop_aside, needs_real, put_back, set_aside, write_provenance

Events = Callable[[str], None]


def generation_plan(recipe: Recipe, assets: Assets) -> list[dict]:
    """Per still and clip to generate: provider, why, and its cost (no network, nothing
    spent). A clip that waits for a still of this run shows the fingerprint it has until the
    still exists (jobs.waiting_jobs)."""
    providers = open_providers(recipe, assets.jobs)
    stills = {j.dest: j.scene_key for j in assets.jobs if j.makes == "still"}
    return [
        {
            "scene": job.scene_key,
            "makes": job.makes,
            "provider": job.provider,
            "why": job.why,
            "dest": str(job.dest),
            "fingerprint": job.fingerprint,
            "after": [stills[p] for p in waits_for(job) if p in stills],
            **providers[_key(job)].estimate(job),
        }
        for job in assets.jobs
    ]


def open_providers(recipe: Recipe, jobs: list[GenerationJob]) -> dict[tuple[str, str], Provider]:
    """The providers the jobs were given to, each opened once for the recipe's folder, by
    (what it makes, name)."""
    return {
        key: provider_named(key[1], key[0]).open(recipe.folder, os.environ)
        for key in dict.fromkeys(_key(job) for job in jobs)
    }


def _unit(provider: Provider, job: GenerationJob) -> str | None:
    """The unit a provider counts a job's cost in (its estimate's; None if it names none)."""
    try:
        return provider.estimate(job).get("unit")
    except Exception:  # an estimate is advice here: the file is made either way
        return None


def _key(job: GenerationJob) -> tuple[str, str]:
    return job.makes, job.provider


def generate_all(recipe: Recipe, assets: Assets, say: Events) -> dict[Path, GenerationResult]:
    """Make every missing still and clip, several at once: each provider says how many of its
    jobs are worth running together and gates them (a paid API's tasks run in parallel on its
    side; an offline one runs FFmpeg). Stills start at once; a clip whose image is a still
    of this run starts as soon as that still exists (`chain.py`). The first failure is raised
    after the others have finished, so nothing paid for is lost (each finished file is already
    saved where the next run finds it)."""
    if not assets.jobs:
        return {}
    providers = open_providers(recipe, assets.jobs)

    def one(job: GenerationJob) -> GenerationResult:
        provider = providers[_key(job)]
        label = job.scene_key + (f" take {job.take}" if job.generate.takes > 1 else "")
        aside = None
        if needs_real(job, recipe.folder):  # a stand-in made earlier: now made for real
            say(f"{label}: the stand-in at {job.dest.name} is made for real now")
            aside = set_aside(job.dest)
        say(f"{job.scene_key}: generating with {provider.name} ({job.why})")
        try:
            with provider.turn():
                result = provider.generate(job, lambda m: say(f"{label}: {m}"), take=job.take)
        except BaseException:
            put_back(job.dest, aside)
            raise
        # provider, request, stand-in or not, task id, cost (in the unit of its estimate)
        write_provenance(job, result, _unit(provider, job))
        drop_aside(aside)
        return result

    at_once = sum(p.at_once() for p in providers.values())
    with ThreadPoolExecutor(max_workers=max(1, min(len(assets.jobs), at_once))) as pool:
        results, errors = run_chained(recipe, assets, pool, one, say)
    if errors:
        raise errors[0]
    return results
