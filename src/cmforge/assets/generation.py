"""Clips to generate: what each costs and who makes it (nothing spent), and making them, each
by the provider the contract chose for it (generate/)."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import CmforgeError
from ..generate import GenerationJob, GenerationResult, Provider, provider_named
from ..recipe.model import Recipe
from .media import Assets

Events = Callable[[str], None]


def generation_plan(recipe: Recipe, assets: Assets) -> list[dict]:
    """Per clip to generate: provider, why, and its cost (no network, nothing spent)."""
    providers = open_providers(recipe, assets.jobs)
    return [
        {
            "scene": job.scene_key,
            "provider": job.provider,
            "why": job.why,
            "dest": str(job.dest),
            "fingerprint": job.fingerprint,
            **providers[_key(job)].estimate(job),
        }
        for job in assets.jobs
    ]


def open_providers(
    recipe: Recipe, jobs: list[GenerationJob]
) -> dict[tuple[str, str], Provider]:
    """The providers the jobs were given to, each opened once for the recipe's folder, by
    (what it makes, name)."""
    return {
        key: provider_named(key[1], key[0]).open(recipe.folder, os.environ)
        for key in dict.fromkeys(_key(job) for job in jobs)
    }


def _key(job: GenerationJob) -> tuple[str, str]:
    return job.makes, job.provider


def generate_all(recipe: Recipe, assets: Assets, say: Events) -> dict[Path, GenerationResult]:
    """Make every missing clip, several at once: each provider says how many of its jobs are
    worth running together and gates them (a paid API's tasks run in parallel on its side;
    an offline one runs FFmpeg). The first failure is raised after the others have finished,
    so nothing paid for is lost (each finished clip is already saved where the next run
    finds it)."""
    if not assets.jobs:
        return {}
    providers = open_providers(recipe, assets.jobs)

    def one(job: GenerationJob) -> GenerationResult:
        provider = providers[_key(job)]
        say(f"{job.scene_key}: generating with {provider.name} ({job.why})")
        label = job.scene_key + (f" take {job.take}" if job.generate.takes > 1 else "")
        with provider.turn():
            return provider.generate(job, lambda m: say(f"{label}: {m}"), take=job.take)

    at_once = max(p.at_once() for p in providers.values())
    with ThreadPoolExecutor(max_workers=min(len(assets.jobs), at_once)) as pool:
        futures = [pool.submit(one, job) for job in assets.jobs]
    results, errors = {}, []
    for f in futures:
        try:
            result = f.result()
            results[result.path] = result
        except CmforgeError as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    return results
